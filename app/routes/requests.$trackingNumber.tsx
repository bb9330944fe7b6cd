import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { LocationMapEnhancement, mapStylesheets } from '~/components/location-map';
import { RequestPhotos } from '~/components/request-photos';
import { StatusTag } from '~/components/status-tag';
import { TownTime } from '~/components/town-time';
import { emailField } from '~/modules/accounts/account-forms';
import { getPublicRequest } from '~/modules/requests/request-queries.server';
import { followRequest, isFollowing, unfollowRequest, withdrawRequest } from '~/modules/requests/request-updates.server';
import { locateTrackingNumber } from '~/modules/requests/find-by-tracking-number.server';
import { isOpenStatus } from '~/modules/requests/statuses';
import { pathParam } from '~/utils/control-characters';
import { getEnv } from '~/utils/env.server';
import { getOptionalUser, requireResident } from '~/utils/permissions.server';
import type { RequestArgs } from '~/utils/request-memo.server';
import { requireTown, siteOrigin, townLinks } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const links: LinksFunction = () => mapStylesheets();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? metaT(matches)('requestsTrackingNumber.pageTitle', { trackingNumber: data.request.trackingNumber, categoryName: data.request.category.name, townName: data.town.name }) : metaT(matches)('requestsTrackingNumber.notFoundTitle') },
];

async function loadRequestOr404(args: RequestArgs, trackingNumber: string) {
  const town = await requireTown(args);
  const found = await getPublicRequest(town.id, trackingNumber.toUpperCase());
  if (found) return { town, found };
  // A number from another town, typed on this town's site, belongs on that town's site.
  const elsewhere = await locateTrackingNumber(trackingNumber);
  if (elsewhere && elsewhere.townSlug !== town.slug) throw redirect(`${siteOrigin(elsewhere.townSlug)}/requests/${elsewhere.trackingNumber}`);
  throw new Response((await requestT(args.request))('errors:request.notFound', { trackingNumber: trackingNumber.toUpperCase(), townName: town.name }), { status: 404 });
}

export async function loader(args: LoaderFunctionArgs) {
  const { params } = args;
  const { town, found } = await loadRequestOr404(args, pathParam(params, 'trackingNumber'));
  const user = await getOptionalUser(args);
  const { reporterUserId, ...publicRequest } = found;
  return json({
    town: { name: town.name, timezone: town.timezone },
    request: publicRequest,
    viewer: user
      ? { signedIn: true as const, isReporter: reporterUserId === user.id, following: await isFollowing(town.id, found.id, user.id) }
      : { signedIn: false as const, isReporter: false, following: false },
    mapboxToken: getEnv().MAPBOX_TOKEN ?? null,
  });
}

const intentSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('follow'), email: emailField.optional() }),
  z.object({ intent: z.literal('unfollow') }),
  z.object({ intent: z.literal('withdraw') }),
]);

export async function action(args: ActionFunctionArgs) {
  const { request, params } = args;
  const { town, found } = await loadRequestOr404(args, pathParam(params, 'trackingNumber'));
  const t = await requestT(request);
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ error: t('errors:follow.invalidEmail'), done: null }, { status: 422 });
  const form = parsed.data;
  if (form.intent === 'follow') {
    const user = await getOptionalUser(args);
    const email = user?.email ?? form.email;
    if (!email) return json({ error: t('errors:follow.emailRequired'), done: null }, { status: 422 });
    await followRequest(town.id, found.trackingNumber, { userId: user?.id ?? null, email });
    return json({ error: null, done: t('requestsTrackingNumber.done.followed', { trackingNumber: found.trackingNumber }) });
  }
  const resident = await requireResident(args);
  if (form.intent === 'unfollow') {
    await unfollowRequest(resident, town.id, found.trackingNumber);
    return json({ error: null, done: t('requestsTrackingNumber.done.unfollowed', { trackingNumber: found.trackingNumber }) });
  }
  const result = await withdrawRequest(resident, town.id, found.trackingNumber, townLinks(town.slug));
  if (!result.ok) return json({ error: result.message, done: null }, { status: result.reason === 'not_allowed' ? 403 : 409 });
  return redirect('/account/requests?withdrawn=1');
}

export default function RequestPage() {
  const { t } = useTranslation();
  const { town, request, viewer, mapboxToken } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const point = { lat: request.lat, lng: request.lng };
  return (
    <>
      {params.has('submitted') ? (
        <SuccessAlert message={t('requestsTrackingNumber.thankYouNameHasYour', { name: town.name, trackingNumber: request.trackingNumber })} />
      ) : null}
      <h1>
        {request.trackingNumber}: {request.category.name}
      </h1>
      <p>
        <StatusTag status={request.status} />{' '}
        <TransText t={t} i18nKey="requestsTrackingNumber.reportedAt" values={{ townName: town.name }} components={{ time: <TownTime value={request.createdAt} timeZone={town.timezone} /> }} />{' '}
        {isOpenStatus(request.status) ? t('requestsTrackingNumber.nameAimsToHandleThis', { name: town.name, count: request.category.targetDays }) : null}
      </p>
      {request.status === 'not_fixed' && request.statusReason ? <p>{t('requestsTrackingNumber.reason', { statusReason: request.statusReason })}</p> : null}
      {request.status === 'duplicate' && request.duplicateOfTrackingNumber ? (
        <p>
          {/* eslint-disable-next-line jsx-a11y/anchor-has-content -- Trans fills the link with the catalogue's words. */}
          <TransText t={t} i18nKey="requestsTrackingNumber.duplicateOf" values={{ duplicateOfTrackingNumber: request.duplicateOfTrackingNumber }} components={{ a: <a href={`/requests/${request.duplicateOfTrackingNumber}`} /> }} />
        </p>
      ) : null}
      {request.status === 'referred' && request.referredTo ? <p>{t('requestsTrackingNumber.referredToReferredto', { referredTo: request.referredTo })}</p> : null}

      <h2>{t('requestsTrackingNumber.whatWasReported')}</h2>
      <p style={{ whiteSpace: 'pre-wrap' }}>{request.description}</p>
      {request.publicAnswers.length > 0 ? (
        <dl>
          {request.publicAnswers.map((a) => (
            <div key={a.label}>
              <dt>{a.label}</dt>
              <dd>{a.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <RequestPhotos photos={request.photos} />

      <h2>{t('requestsTrackingNumber.where')}</h2>
      {request.locationApproximate ? (
        <p>{t('requestsTrackingNumber.addressGivenAsAnAddress', { address: request.address })}</p>
      ) : (
        <>
          <p>
            {request.address ? `${request.address} · ` : ''}
            {request.lat.toFixed(5)}, {request.lng.toFixed(5)}
          </p>
          <LocationMapEnhancement center={point} zoom={17} pin={point} mapboxToken={mapboxToken} boundariesUrl="/geo/towns.geojson" label={t('requestsTrackingNumber.mapOfTheReportedLocation')} />
        </>
      )}

      <h2>{t('requestsTrackingNumber.timeline')}</h2>
      <ol className="cc-timeline">
        {request.timeline.map((event) => (
          <li key={event.id}>
            <strong>{event.kind === 'status_changed' && event.toStatus ? t(`requestStatus.${event.toStatus}`) : t(`requestsTrackingNumber.event.${event.kind}`, { defaultValue: event.kind })}</strong>
            {' · '}
            <TownTime value={event.createdAt} timeZone={town.timezone} />
            {event.message ? <p style={{ whiteSpace: 'pre-wrap' }}>{event.message}</p> : null}
          </li>
        ))}
      </ol>

      <h2>{t('requestsTrackingNumber.followThisRequest')}</h2>
      <p>
        {t('requestsTrackingNumber.followers', { count: request.followerCount })}
      </p>
      <FormAlert message={actionData?.error} />
      <SuccessAlert message={actionData?.done} />
      {viewer.following ? (
        <Form method="post">
          <button className="usa-button usa-button--outline" type="submit" name="intent" value="unfollow">{t('requestsTrackingNumber.stopFollowing')}</button>
        </Form>
      ) : (
        <Form method="post" className="usa-form">
          {viewer.signedIn ? null : <TextField label={t('requestsTrackingNumber.yourEmail')} name="email" type="email" autoComplete="email" />}
          <button className="usa-button" type="submit" name="intent" value="follow">{t('requestsTrackingNumber.followMeToo')}</button>
        </Form>
      )}
      {viewer.isReporter && request.status === 'submitted' ? (
        <Form method="post" className="margin-top-3">
          <button className="usa-button usa-button--secondary" type="submit" name="intent" value="withdraw">{t('requestsTrackingNumber.withdrawMyReport')}</button>
        </Form>
      ) : null}
    </>
  );
}
