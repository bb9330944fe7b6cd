import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { FormAlert, SuccessAlert } from '~/components/form-field';
import { TownTime } from '~/components/town-time';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { listWebhookDeliveries, redeliverWebhook } from '~/modules/webhooks/webhook-deliveries.server';
import { requireTownRole } from '~/utils/permissions.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminWebhookDeliveries.pageTitle') }];

// Far beyond any real log; keeps a hand-typed page number from becoming a huge OFFSET.
const PAGE_MAX = 10_000;
const endpointParams = z.object({ id: z.string().uuid() });
const pageParam = z.coerce.number().int().min(1).max(PAGE_MAX).catch(1);

export async function loader(args: LoaderFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const t = await requestT(args.request);
  const params = endpointParams.safeParse(args.params);
  const page = pageParam.parse(new URL(args.request.url).searchParams.get('page') ?? undefined);
  const log = params.success ? await listWebhookDeliveries(admin, params.data.id, page) : null;
  if (!log) throw new Response(t('errors:webhook.notFound'), { status: 404 });
  return json({ timeZone: admin.town.timezone, page, ...log });
}

const redeliveryForm = z.object({ intent: z.literal('redeliver'), deliveryId: z.string().uuid() });

export async function action(args: ActionFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const t = await requestT(args.request);
  const parsed = redeliveryForm.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) throw new Response(t('errors:unknownAction'), { status: 400 });
  const result = await redeliverWebhook(admin, parsed.data.deliveryId);
  if (!result.ok && result.reason === 'not_found') throw new Response(t('errors:webhook.notFound'), { status: 404 });
  if (!result.ok) return json({ error: t('adminWebhookDeliveries.endpointDisabled'), message: null }, { status: 409 });
  return json({ error: null, message: t('adminWebhookDeliveries.redelivered') });
}

export default function AdminWebhookDeliveries() {
  const { t } = useTranslation();
  const { timeZone, page, endpoint, deliveries, hasMore } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <p>
        <Link to="/admin/webhooks">{t('adminWebhookDeliveries.back')}</Link>
      </p>
      <h1 className="text-break-all">{t('adminWebhookDeliveries.heading', { url: endpoint.url })}</h1>
      <p>{t('adminWebhookDeliveries.intro')}</p>
      {endpoint.enabled ? null : <p className="text-bold">{t('adminWebhookDeliveries.endpointOff')}</p>}
      <SuccessAlert message={actionData?.message} />
      <FormAlert message={actionData?.error ?? null} />
      {deliveries.length === 0 ? (
        <p>{t('adminWebhookDeliveries.none')}</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption>{t('adminWebhookDeliveries.tableCaption', { url: endpoint.url, page })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminWebhookDeliveries.queued')}</th>
              <th scope="col">{t('adminWebhookDeliveries.event')}</th>
              <th scope="col">{t('adminWebhookDeliveries.status')}</th>
              <th scope="col">{t('adminWebhookDeliveries.attempts')}</th>
              <th scope="col">{t('adminWebhookDeliveries.response')}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id} data-testid="webhook-delivery">
                <td data-label={t('adminWebhookDeliveries.queued')}>
                  <TownTime value={d.createdAt} timeZone={timeZone} />
                </td>
                <th scope="row" data-label={t('adminWebhookDeliveries.event')}>
                  {t(`adminWebhooks.event.${d.eventType}`)}
                  <div className="font-mono-3xs text-base">{d.eventId}</div>
                  {d.redelivery ? <div className="text-base">{t('adminWebhookDeliveries.redeliveryMark')}</div> : null}
                </th>
                <td data-label={t('adminWebhookDeliveries.status')}>
                  {t(`adminWebhookDeliveries.statusLabel.${d.status}`)}
                  {d.nextAttemptAt ? (
                    <div className="text-base">
                      {t('adminWebhookDeliveries.nextAttempt')} <TownTime value={d.nextAttemptAt} timeZone={timeZone} />
                    </div>
                  ) : null}
                </td>
                <td data-label={t('adminWebhookDeliveries.attempts')}>{d.attempts}</td>
                <td data-label={t('adminWebhookDeliveries.response')}>
                  {d.lastResponseStatus ?? (d.attempts > 0 ? t('adminWebhookDeliveries.noResponse') : '—')}
                  {d.lastError ? <div className="text-base">{d.lastError}</div> : null}
                  <Form method="post" className="cc-inline-form">
                    <input type="hidden" name="deliveryId" value={d.id} />
                    <button type="submit" name="intent" value="redeliver" className="usa-button usa-button--unstyled" disabled={busy}>
                      {t('adminWebhookDeliveries.redeliver', { event: t(`adminWebhooks.event.${d.eventType}`), id: d.eventId.slice(-8) })}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label={t('adminWebhookDeliveries.pages')} className="display-flex flex-justify">
        {page > 1 ? <Link to={`?page=${page - 1}`}>{t('adminWebhookDeliveries.newer')}</Link> : <span />}
        {hasMore ? <Link to={`?page=${page + 1}`}>{t('adminWebhookDeliveries.older')}</Link> : null}
      </nav>
    </>
  );
}
