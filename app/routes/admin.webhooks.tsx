import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { WEBHOOK_EVENTS } from '#db/vocabulary';
import { CheckboxGroup, FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { ShownOnceSecret } from '~/components/shown-once-secret';
import { TownTime } from '~/components/town-time';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { webhookEndpointForm } from '~/modules/admin/admin-forms';
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints, setWebhookEndpointEnabled } from '~/modules/webhooks/webhook-endpoints.server';
import { getEnv } from '~/utils/env.server';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { requireTownRole } from '~/utils/permissions.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminWebhooks.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const endpoints = await listWebhookEndpoints(admin);
  return json({ townName: admin.town.name, timeZone: admin.town.timezone, endpoints });
}

const endpointRef = z.object({ id: z.string().uuid() });

type ActionData = { errors?: FieldErrors; values?: { url?: string; events?: string[] }; message?: string; newSecret?: { url: string; secret: string } };

export async function action(args: ActionFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const t = await requestT(args.request);
  const body = await args.request.formData();
  const intent = body.get('intent');
  if (intent === 'create') {
    const input = { url: String(body.get('url') ?? ''), events: body.getAll('events').map(String) };
    const parsed = webhookEndpointForm(getEnv().WEBHOOK_LOCAL_RECEIVERS).safeParse(input);
    if (!parsed.success) return json<ActionData>({ errors: wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)), values: input }, { status: 422 });
    const created = await createWebhookEndpoint(admin, parsed.data);
    // The secret goes out in this one answer and is never listed again.
    return json<ActionData>({ newSecret: { url: parsed.data.url, secret: created.secret } }, { headers: { 'Cache-Control': 'no-store' } });
  }
  if (intent === 'enable' || intent === 'disable' || intent === 'delete') {
    const ref = endpointRef.safeParse({ id: body.get('id') });
    if (!ref.success) throw new Response(t('errors:webhook.notFound'), { status: 404 });
    const done = intent === 'delete' ? await deleteWebhookEndpoint(admin, ref.data.id) : await setWebhookEndpointEnabled(admin, ref.data.id, intent === 'enable');
    if (!done) throw new Response(t('errors:webhook.notFound'), { status: 404 });
    const message = { enable: 'adminWebhooks.done.enabled', disable: 'adminWebhooks.done.disabled', delete: 'adminWebhooks.done.deleted' } as const;
    return json<ActionData>({ message: t(message[intent], { url: done.url }) });
  }
  throw new Response(t('errors:unknownAction'), { status: 400 });
}

export default function AdminWebhooks() {
  const { t } = useTranslation();
  const { townName, timeZone, endpoints } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  const chosenEvents = actionData?.values?.events;
  return (
    <>
      <h1>{t('adminWebhooks.heading')}</h1>
      <p>{t('adminWebhooks.intro', { townName })}</p>
      <SuccessAlert message={actionData?.message} />
      {actionData?.newSecret ? (
        <ShownOnceSecret heading={t('adminWebhooks.newSecretHeading', { url: actionData.newSecret.url })} note={t('adminWebhooks.newSecretOnce')} secret={actionData.newSecret.secret} testId="new-webhook-secret" />
      ) : null}
      {endpoints.length === 0 ? (
        <p>{t('adminWebhooks.none')}</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption>{t('adminWebhooks.tableCaption', { townName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminWebhooks.url')}</th>
              <th scope="col">{t('adminWebhooks.events')}</th>
              <th scope="col">{t('adminWebhooks.created')}</th>
              <th scope="col">{t('adminWebhooks.state')}</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map((e) => (
              <tr key={e.id}>
                <th scope="row" data-label={t('adminWebhooks.url')}>
                  <code className="text-break-all">{e.url}</code>
                  <div>
                    <Link to={`/admin/webhooks/${e.id}`}>{t('adminWebhooks.deliveries', { url: e.url })}</Link>
                  </div>
                </th>
                <td data-label={t('adminWebhooks.events')}>{e.events.map((event) => t(`adminWebhooks.event.${event}`)).join(', ')}</td>
                <td data-label={t('adminWebhooks.created')}>
                  <TownTime value={e.createdAt} timeZone={timeZone} />
                </td>
                <td data-label={t('adminWebhooks.state')}>
                  {t(e.enabled ? 'adminWebhooks.enabled' : 'adminWebhooks.disabled')}
                  {e.autoDisabledAt ? (
                    <div className="text-bold">
                      {t('adminWebhooks.autoDisabled')} <TownTime value={e.autoDisabledAt} timeZone={timeZone} />
                    </div>
                  ) : e.enabled && e.failingSince ? (
                    <div className="text-bold">
                      {t('adminWebhooks.failingSince')} <TownTime value={e.failingSince} timeZone={timeZone} />
                    </div>
                  ) : null}
                  <Form method="post" className="cc-inline-form">
                    <input type="hidden" name="id" value={e.id} />
                    <button type="submit" name="intent" value={e.enabled ? 'disable' : 'enable'} className="usa-button usa-button--unstyled" disabled={busy}>
                      {t(e.enabled ? 'adminWebhooks.disable' : 'adminWebhooks.enable', { url: e.url })}
                    </button>
                  </Form>
                  <Form method="post" className="cc-inline-form">
                    <input type="hidden" name="id" value={e.id} />
                    <button type="submit" name="intent" value="delete" className="usa-button usa-button--unstyled" disabled={busy}>
                      {t('adminWebhooks.remove', { url: e.url })}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="webhook-form">{t('adminWebhooks.createHeading')}</h2>
      <Form method="post" className="usa-form" noValidate aria-labelledby="webhook-form">
        <FormAlert message={Object.keys(errors).length > 0 ? t('adminWebhooks.pleaseCorrect') : null} />
        <input type="hidden" name="intent" value="create" />
        <TextField label={t('adminWebhooks.url')} name="url" type="url" required maxLength={2000} hint={t('adminWebhooks.urlHint')} defaultValue={actionData?.values?.url ?? ''} error={errors.url} />
        <CheckboxGroup
          legend={t('adminWebhooks.events')}
          name="events"
          error={errors.events}
          options={WEBHOOK_EVENTS.map((event) => ({ value: event, label: t(`adminWebhooks.event.${event}`), checked: chosenEvents ? chosenEvents.includes(event) : true }))}
        />
        <button type="submit" className="usa-button" disabled={busy}>
          {t('adminWebhooks.create')}
        </button>
      </Form>
    </>
  );
}
