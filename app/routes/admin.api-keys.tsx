import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { API_KEY_SCOPES } from '#db/vocabulary';
import { CheckboxGroup, FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { ShownOnceSecret } from '~/components/shown-once-secret';
import { TownTime } from '~/components/town-time';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { apiKeyForm } from '~/modules/admin/admin-forms';
import { createApiKey, listApiKeys, revokeApiKey } from '~/modules/open311/api-keys.server';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { requireTownRole } from '~/utils/permissions.server';
import { siteOrigin } from '~/utils/town.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminApiKeys.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const keys = await listApiKeys(admin);
  return json({ townName: admin.town.name, timeZone: admin.town.timezone, apiUrl: `${siteOrigin(admin.town.slug)}/open311/v2`, keys });
}

const keyRef = z.object({ id: z.string().uuid() });

type ActionData = { errors?: FieldErrors; values?: { name?: string }; message?: string; newKey?: { name: string; key: string } };

export async function action(args: ActionFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const t = await requestT(args.request);
  const body = await args.request.formData();
  const intent = body.get('intent');
  if (intent === 'create') {
    const input = { name: String(body.get('name') ?? ''), scopes: body.getAll('scopes').map(String) };
    const parsed = apiKeyForm.safeParse(input);
    if (!parsed.success) return json<ActionData>({ errors: wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)), values: { name: input.name } }, { status: 422 });
    const created = await createApiKey(admin, parsed.data);
    // The secret goes out in this one answer and is never stored or shown again.
    return json<ActionData>({ newKey: { name: parsed.data.name, key: created.key } }, { headers: { 'Cache-Control': 'no-store' } });
  }
  if (intent === 'revoke') {
    const ref = keyRef.safeParse({ id: body.get('id') });
    const revoked = ref.success ? await revokeApiKey(admin, ref.data.id) : null;
    if (!revoked) throw new Response(t('errors:apiKey.notFound'), { status: 404 });
    return json<ActionData>({ message: t(revoked.revoked ? 'adminApiKeys.done.revoked' : 'adminApiKeys.done.alreadyRevoked', { name: revoked.name }) });
  }
  throw new Response(t('errors:unknownAction'), { status: 400 });
}

export default function AdminApiKeys() {
  const { t } = useTranslation();
  const { townName, timeZone, apiUrl, keys } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  return (
    <>
      <h1>{t('adminApiKeys.heading')}</h1>
      <p>{t('adminApiKeys.intro', { townName, apiUrl })}</p>
      <SuccessAlert message={actionData?.message} />
      {actionData?.newKey ? (
        <ShownOnceSecret heading={t('adminApiKeys.newKeyHeading', { name: actionData.newKey.name })} note={t('adminApiKeys.newKeyOnce')} secret={actionData.newKey.key} testId="new-api-key" />
      ) : null}
      {keys.length === 0 ? (
        <p>{t('adminApiKeys.none')}</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption>{t('adminApiKeys.tableCaption', { townName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminApiKeys.name')}</th>
              <th scope="col">{t('adminApiKeys.key')}</th>
              <th scope="col">{t('adminApiKeys.scopes')}</th>
              <th scope="col">{t('adminApiKeys.created')}</th>
              <th scope="col">{t('adminApiKeys.lastUsed')}</th>
              <th scope="col">{t('adminApiKeys.state')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <th scope="row" data-label={t('adminApiKeys.name')}>
                  {k.name}
                </th>
                <td data-label={t('adminApiKeys.key')}>
                  <code>{t('adminApiKeys.prefix', { prefix: k.keyPrefix })}</code>
                </td>
                <td data-label={t('adminApiKeys.scopes')}>{k.scopes.map((s) => t(`adminApiKeys.scope.${s}`)).join(', ')}</td>
                <td data-label={t('adminApiKeys.created')}>
                  <TownTime value={k.createdAt} timeZone={timeZone} /> {k.createdBy ? t('adminApiKeys.by', { name: k.createdBy }) : null}
                </td>
                <td data-label={t('adminApiKeys.lastUsed')}>{k.lastUsedAt ? <TownTime value={k.lastUsedAt} timeZone={timeZone} /> : t('adminApiKeys.never')}</td>
                <td data-label={t('adminApiKeys.state')}>
                  {k.revokedAt ? (
                    t('adminApiKeys.revoked')
                  ) : (
                    <Form method="post" className="cc-inline-form">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="id" value={k.id} />
                      <button type="submit" className="usa-button usa-button--unstyled" disabled={busy}>
                        {t('adminApiKeys.revokeName', { name: k.name })}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="api-key-form">{t('adminApiKeys.createHeading')}</h2>
      <Form method="post" className="usa-form" noValidate aria-labelledby="api-key-form">
        <FormAlert message={Object.keys(errors).length > 0 ? t('adminApiKeys.pleaseCorrect') : null} />
        <input type="hidden" name="intent" value="create" />
        <TextField label={t('adminApiKeys.name')} name="name" required maxLength={80} hint={t('adminApiKeys.nameHint')} defaultValue={actionData?.values?.name ?? ''} error={errors.name} />
        <CheckboxGroup legend={t('adminApiKeys.scopes')} name="scopes" error={errors.scopes} options={API_KEY_SCOPES.map((scope) => ({ value: scope, label: t(`adminApiKeys.scope.${scope}`), checked: true }))} />
        <button type="submit" className="usa-button" disabled={busy}>
          {t('adminApiKeys.create')}
        </button>
      </Form>
    </>
  );
}
