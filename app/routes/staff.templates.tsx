import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert, SuccessAlert } from '~/components/form-field';
import { wordFieldErrors } from '~/i18n/field-errors';
import type { FieldErrors } from '~/utils/field-errors';
import { createTemplate, deleteTemplate, listTemplates, updateTemplate, type ResponseTemplate, type TemplateResult } from '~/modules/templates/response-templates.server';
import { TEMPLATE_BODY_MAX, TEMPLATE_TITLE_MAX } from '~/modules/templates/template-limits';
import { searchParamsOf } from '~/utils/control-characters';
import { staffWorkOpen } from '~/modules/towns/town-lifecycle.server';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: metaT(matches)('staffTemplates.pageTitle', { townName: data?.townName ?? '' }) }];

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const staff = await requireTownRole(args, 'staff');
  return json({ townName: staff.town.name, templates: await listTemplates(staff), done: searchParamsOf(request).get('done') });
}

const fields = { title: z.string().default(''), body: z.string().default('') };
const actionForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create'), ...fields }),
  z.object({ intent: z.literal('update'), id: z.string(), ...fields }),
  z.object({ intent: z.literal('delete'), id: z.string() }),
]);

type ActionData = { formId: string; fieldErrors: FieldErrors; values: { title?: string; body?: string } };

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const staff = await requireTownRole(args, 'staff');
  if (!staffWorkOpen(staff.town)) throw new Response((await requestT(request))('errors:serviceLapsed', { name: staff.town.name }), { status: 403 });
  const t = await requestT(request);
  const parsed = actionForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json<ActionData>({ formId: '', fieldErrors: { form: t('errors:unknownActionOnPage') }, values: {} }, { status: 400 });
  const form = parsed.data;
  if (form.intent === 'delete') {
    if (!(await deleteTemplate(staff, form.id))) throw new Response(t('errors:template.notFound'), { status: 404 });
    return redirect('/staff/templates?done=deleted');
  }
  const values = { title: form.title, body: form.body };
  const result: TemplateResult = form.intent === 'create' ? await createTemplate(staff, values) : await updateTemplate(staff, form.id, values);
  if (!result.ok) {
    if (result.reason === 'not_found') throw new Response(t('errors:template.notFound'), { status: 404 });
    return json<ActionData>({ formId: form.intent === 'create' ? 'new' : form.id, fieldErrors: wordFieldErrors(t, result.fieldErrors), values }, { status: 422 });
  }
  return redirect(`/staff/templates?done=${form.intent === 'create' ? 'created' : 'updated'}`);
}

// What ?done= may name; the words are the catalogue's staffTemplates.done.*.
const DONE = ['created', 'updated', 'deleted'];

export default function ResponseTemplates() {
  const { t } = useTranslation();
  const { townName, templates, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errorsFor = (formId: string) => (actionData?.formId === formId ? actionData : null);
  return (
    <>
      <h2>{t('staffTemplates.responseTemplates')}</h2>
      <p>{t('staffTemplates.intro', { townName })}</p>
      <SuccessAlert message={done && DONE.includes(done) ? t(`staffTemplates.done.${done}`) : null} />
      <FormAlert message={actionData?.fieldErrors.form} />

      {templates.length === 0 ? <p>{t('staffTemplates.thereAreNoTemplatesYet')}</p> : null}
      {templates.map((template) => (
        <TemplateEditor key={template.id} template={template} errors={errorsFor(template.id)} />
      ))}

      <section aria-labelledby="new-template-heading">
        <h3 id="new-template-heading">{t('staffTemplates.newTemplate')}</h3>
        <Form method="post" className="usa-form maxw-none">
          <TemplateFields formId="new" values={errorsFor('new')?.values ?? {}} fieldErrors={errorsFor('new')?.fieldErrors ?? {}} />
          <button className="usa-button" type="submit" name="intent" value="create">{t('staffTemplates.addTemplate')}</button>
        </Form>
      </section>
    </>
  );
}

function TemplateEditor({ template, errors }: { template: ResponseTemplate; errors: ActionData | null }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`template-${template.id}-heading`} className="margin-bottom-4 border-bottom border-base-lighter padding-bottom-2">
      <h3 id={`template-${template.id}-heading`}>{template.title}</h3>
      <Form method="post" className="usa-form maxw-none">
        <input type="hidden" name="id" value={template.id} />
        <TemplateFields formId={template.id} values={errors?.values ?? template} fieldErrors={errors?.fieldErrors ?? {}} />
        <button className="usa-button" type="submit" name="intent" value="update">{t('staffTemplates.saveTitle', { title: template.title })}</button>
      </Form>
      <Form method="post" className="margin-top-1">
        <input type="hidden" name="id" value={template.id} />
        <button className="usa-button usa-button--secondary" type="submit" name="intent" value="delete">{t('staffTemplates.deleteTitle', { title: template.title })}</button>
      </Form>
    </section>
  );
}

/** Ids carry the form's id: every template on the page has its own pair of fields. */
function TemplateFields({ formId, values, fieldErrors }: { formId: string; values: { title?: string; body?: string }; fieldErrors: FieldErrors }) {
  const { t } = useTranslation();
  const id = (name: string) => `template-${formId}-${name}`;
  const describedBy = (name: string) => [`${id(name)}-hint`, fieldErrors[name] ? `${id(name)}-error` : null].filter(Boolean).join(' ');
  return (
    <>
      {(['title', 'body'] as const).map((name) => (
        <div key={name} className={`usa-form-group${fieldErrors[name] ? ' usa-form-group--error' : ''}`}>
          <label className={`usa-label${fieldErrors[name] ? ' usa-label--error' : ''}`} htmlFor={id(name)}>
            {name === 'title' ? t('staffTemplates.title') : t('staffTemplates.replyText')}
          </label>
          <div className="usa-hint" id={`${id(name)}-hint`}>
            {name === 'title' ? t('staffTemplates.whatStaffPickFromThe', { TEMPLATE_TITLE_MAX }) : t('staffTemplates.shownToResidentsAsWritten', { TEMPLATE_BODY_MAX })}
          </div>
          {fieldErrors[name] ? (
            <span className="usa-error-message" id={`${id(name)}-error`} role="alert">
              {fieldErrors[name]}
            </span>
          ) : null}
          {name === 'title' ? (
            <input
              className={`usa-input${fieldErrors[name] ? ' usa-input--error' : ''}`}
              id={id(name)}
              name={name}
              defaultValue={values.title}
              maxLength={TEMPLATE_TITLE_MAX}
              required
              aria-describedby={describedBy(name)}
              aria-invalid={fieldErrors[name] ? true : undefined}
            />
          ) : (
            <textarea
              className={`usa-textarea${fieldErrors[name] ? ' usa-input--error' : ''}`}
              id={id(name)}
              name={name}
              rows={5}
              defaultValue={values.body}
              maxLength={TEMPLATE_BODY_MAX}
              required
              aria-describedby={describedBy(name)}
              aria-invalid={fieldErrors[name] ? true : undefined}
            />
          )}
        </div>
      ))}
    </>
  );
}
