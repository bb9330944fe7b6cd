import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { LocationMapEnhancement, mapStylesheets } from '~/components/location-map';
import { isStaffIntakeChannel } from '#db/vocabulary';
import { EventPhotos, RequestPhotos } from '~/components/request-photos';
import { ReporterForms } from '~/components/resident-forms';
import { ExpectedBy } from '~/components/expected-by';
import { StatusTag } from '~/components/status-tag';
import { TownTime } from '~/components/town-time';
import { emailField } from '~/modules/accounts/account-forms';
import { askToFollow, followRequest, isFollowing, unfollowRequest } from '~/modules/requests/following.server';
import { getPublicRequest } from '~/modules/requests/request-queries.server';
import { commentAsReporter, reopenAsReporter, withdrawAsReporter, type ReporterCredential, type ReporterResult } from '~/modules/requests/reporter-actions.server';
import { COMMENT_UPLOAD_LIMITS, parseResidentComment, validateResidentComment, withdrawFields } from '~/modules/requests/reporter-forms.server';
import { locateTrackingNumber } from '~/modules/requests/find-by-tracking-number.server';
import { reporterOptions } from '~/modules/requests/statuses';
import { pathParam, searchParamsOf } from '~/utils/control-characters';
import { getEnv } from '~/utils/env.server';
import { fieldErrorCodesOf, type FieldErrorCodes, type FieldErrors } from '~/utils/field-errors';
import { readUploadForm } from '~/utils/multipart.server';
import { getOptionalUser, requireResident } from '~/utils/permissions.server';
import type { RequestArgs } from '~/utils/request-memo.server';
import { requireTown, siteOrigin, townLinks } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { wordFieldErrors } from '~/i18n/field-errors';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';
import { sharedWithSignedOutVisitors } from '~/utils/shared-page-cache.server';

// A signed-out visitor sees what every other one does, so a copy can serve the next few seconds' visitors.
export const headers = sharedWithSignedOutVisitors;

export const links: LinksFunction = () => mapStylesheets();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? metaT(matches)('requestsTrackingNumber.pageTitle', { trackingNumber: data.request.trackingNumber, categoryName: data.request.category.name, townName: data.town.name }) : metaT(matches)('requestsTrackingNumber.notFoundTitle') },
];

async function loadRequestOr404(args: RequestArgs, trackingNumber: string) {
  const town = await requireTown(args);
  const found = await getPublicRequest(town.id, trackingNumber.toUpperCase());
  // Moved to another town for good (a corrected location): the request lives on at its page there.
  if (found?.transferredTo) throw redirect(`${siteOrigin(found.transferredTo.townSlug)}/requests/${found.transferredTo.trackingNumber}`, 301);
  if (found) return { town, found };
  // A number from another town, typed on this town's site, belongs on that town's site.
  const elsewhere = await locateTrackingNumber(trackingNumber);
  if (elsewhere && (elsewhere.townSlug !== town.slug || elsewhere.trackingNumber !== trackingNumber.toUpperCase())) throw redirect(`${siteOrigin(elsewhere.townSlug)}/requests/${elsewhere.trackingNumber}`);
  throw new Response((await requestT(args.request))('errors:request.notFound', { trackingNumber: trackingNumber.toUpperCase(), townName: town.name }), { status: 404 });
}

// What ?done= may name after a reporter's action; the words are the catalogue's requestsTrackingNumber.done.*.
const DONE = ['commented', 'reopened', 'confirmedFixed', 'following'] as const;

export async function loader(args: LoaderFunctionArgs) {
  const { params } = args;
  const { town, found } = await loadRequestOr404(args, pathParam(params, 'trackingNumber'));
  const user = await getOptionalUser(args);
  const search = searchParamsOf(args.request);
  const { reporterUserId, ...publicRequest } = found;
  const isReporter = user !== null && reporterUserId === user.id;
  const options = isReporter ? reporterOptions(found, new Date()) : null;
  const done = search.get('done');
  return json({
    town: { name: town.name, timezone: town.timezone },
    request: publicRequest,
    viewer: user
      ? { signedIn: true as const, isReporter, following: await isFollowing(town.id, found.id, user.id) }
      : { signedIn: false as const, isReporter: false, following: false },
    // The signed-in reporter's own forms; "Withdraw" first asks (?withdraw=confirm, a GET that changes nothing).
    reporter: options ? { ...options, confirmingWithdraw: options.withdraw && search.get('withdraw') === 'confirm' } : null,
    done: DONE.find((d) => d === done) ?? null,
    mapboxToken: getEnv().MAPBOX_TOKEN ?? null,
  });
}

const INTENTS = ['follow', 'unfollow', 'withdraw', 'reopen', 'comment'] as const;
type Intent = (typeof INTENTS)[number];
type ActionData = { intent: Intent | null; error: string | null; done: string | null; fieldErrors: FieldErrors; values: Record<string, string> };

const REFUSAL_STATUS = { not_found: 404, forbidden: 403, refused: 409 } as const;

export async function action(args: ActionFunctionArgs) {
  const { request, params } = args;
  const { town, found } = await loadRequestOr404(args, pathParam(params, 'trackingNumber'));
  const t = await requestT(request);
  // Every form here is small but the comment's, which may carry a photo: one reader for both kinds of body.
  const form = await readUploadForm(request, COMMENT_UPLOAD_LIMITS);
  const values = Object.fromEntries(form.fields);
  const intent = z.enum(INTENTS).safeParse(values.intent);
  const reply = (status: number, data: Partial<Omit<ActionData, 'intent' | 'values'>>) =>
    json<ActionData>({ intent: intent.success ? intent.data : null, error: null, done: null, fieldErrors: {}, values, ...data }, { status });
  const invalid = (errors: FieldErrorCodes) => reply(422, { fieldErrors: wordFieldErrors(t, errors), error: t('errors:correctMarkedFields') });
  const refused = (result: Extract<ReporterResult, { ok: false }>) => reply(REFUSAL_STATUS[result.reason], { error: t(`errors:${result.code}`, result.values) });
  if (!intent.success) return reply(400, { error: t('errors:unknownActionOnPage') });
  const links = townLinks(town.slug);

  if (intent.data === 'follow') {
    const user = await getOptionalUser(args);
    // A confirmed account follows at once; any other address must confirm from its own mailbox.
    if (user?.emailVerified) {
      await followRequest(town.id, found.trackingNumber, { userId: user.id, email: user.email });
      return reply(200, { done: t('requestsTrackingNumber.done.followed', { trackingNumber: found.trackingNumber }) });
    }
    const email = emailField.safeParse(user?.email ?? values.email ?? '');
    if (!email.success) return invalid({ email: fieldErrorCodesOf(email.error.issues).form! });
    const asked = await askToFollow(town.id, found.trackingNumber, { email: email.data, ip: args.context.clientIp }, links);
    if (!asked.ok && asked.reason === 'rate_limited') return reply(429, { error: t('errors:follow.tooMany', { minutes: Math.ceil(asked.retryAfterSeconds / 60) }) });
    return reply(200, { done: t('requestsTrackingNumber.done.confirmFollow', { email: email.data, trackingNumber: found.trackingNumber }) });
  }
  const resident = await requireResident(args);
  const credential: ReporterCredential = { kind: 'session', resident };
  switch (intent.data) {
    case 'unfollow':
      await unfollowRequest(resident, town.id, found.trackingNumber);
      return reply(200, { done: t('requestsTrackingNumber.done.unfollowed', { trackingNumber: found.trackingNumber }) });
    case 'withdraw': {
      const parsed = withdrawFields.safeParse(values);
      if (!parsed.success) return invalid(fieldErrorCodesOf(parsed.error.issues));
      const result = await withdrawAsReporter(credential, town.id, found.trackingNumber, parsed.data.reason, links);
      return result.ok ? redirect('/account/requests?withdrawn=1') : refused(result);
    }
    case 'reopen': {
      const parsed = parseResidentComment(values);
      if (!parsed.ok) return invalid(parsed.errors);
      const result = await reopenAsReporter(credential, town.id, found.trackingNumber, parsed.comment, links);
      return result.ok ? redirect(`/requests/${found.trackingNumber}?done=reopened`) : refused(result);
    }
    case 'comment': {
      const validated = await validateResidentComment(form);
      if (!validated.ok) return invalid(validated.errors);
      const result = await commentAsReporter(credential, town.id, found.trackingNumber, validated.comment);
      return result.ok ? redirect(`/requests/${found.trackingNumber}?done=commented`) : refused(result);
    }
  }
}

export default function RequestPage() {
  const { t } = useTranslation();
  const { town, request, viewer, reporter, done, mapboxToken } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const point = { lat: request.lat, lng: request.lng };
  const formFor = (intent: Intent) => (actionData?.intent === intent ? { errors: actionData.fieldErrors, values: actionData.values } : {});
  const reporterError = actionData && actionData.intent !== 'follow' && actionData.intent !== 'unfollow' ? actionData.error : null;
  return (
    <>
      {params.has('submitted') ? (
        <SuccessAlert message={t('requestsTrackingNumber.thankYouNameHasYour', { name: town.name, trackingNumber: request.trackingNumber })} />
      ) : null}
      <SuccessAlert message={done ? t(`requestsTrackingNumber.done.${done}`) : null} />
      <h1>
        {request.trackingNumber}: {request.category.name}
      </h1>
      <p>
        <StatusTag status={request.status} />{' '}
        <TransText t={t} i18nKey="requestsTrackingNumber.reportedAt" values={{ townName: town.name }} components={{ time: <TownTime value={request.createdAt} timeZone={town.timezone} /> }} />{' '}
        <ExpectedBy expectation={request.expectation} townName={town.name} timeZone={town.timezone} />
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
            {event.kind === 'submitted' && isStaffIntakeChannel(request.channel) ? <p>{t(`requestsTrackingNumber.filedForCaller.${request.channel}`)}</p> : null}
            {event.message ? <p style={{ whiteSpace: 'pre-wrap' }}>{event.message}</p> : null}
            <EventPhotos event={event} />
          </li>
        ))}
      </ol>

      {reporter ? (
        <>
          <FormAlert message={reporterError} />
          <ReporterForms
            options={reporter}
            town={town}
            trackingNumber={request.trackingNumber}
            confirmingWithdraw={reporter.confirmingWithdraw}
            withdrawTo={`/requests/${request.trackingNumber}?withdraw=confirm#withdraw-heading`}
            cancelTo={`/requests/${request.trackingNumber}`}
            formFor={formFor}
          />
        </>
      ) : null}

      <h2>{t('requestsTrackingNumber.followThisRequest')}</h2>
      <p>
        {t('requestsTrackingNumber.followers', { count: request.followerCount })}
      </p>
      {actionData?.intent === 'follow' || actionData?.intent === 'unfollow' ? (
        <>
          <FormAlert message={actionData.error} />
          <SuccessAlert message={actionData.done} />
        </>
      ) : null}
      {viewer.following ? (
        <Form method="post">
          <button className="usa-button usa-button--outline" type="submit" name="intent" value="unfollow">{t('requestsTrackingNumber.stopFollowing')}</button>
        </Form>
      ) : (
        <Form method="post" className="usa-form">
          {viewer.signedIn ? null : (
            <TextField
              label={t('requestsTrackingNumber.yourEmail')}
              hint={t('requestsTrackingNumber.weSendALinkToConfirm')}
              name="email"
              type="email"
              autoComplete="email"
              defaultValue={actionData?.intent === 'follow' ? actionData.values.email : undefined}
              error={actionData?.intent === 'follow' ? actionData.fieldErrors.email : undefined}
            />
          )}
          <button className="usa-button" type="submit" name="intent" value="follow">{t('requestsTrackingNumber.followMeToo')}</button>
        </Form>
      )}
    </>
  );
}
