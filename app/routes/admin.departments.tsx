import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { departmentForm } from '~/modules/admin/admin-forms';
import { createDepartment, deleteDepartment, listDepartmentsForAdmin, updateDepartment, type DeleteDepartmentResult } from '~/modules/departments/departments.server';
import { searchParamsOf } from '~/utils/control-characters';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';
import type { TFunction } from 'i18next';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminDepartments.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  const departments = await listDepartmentsForAdmin(admin);
  const editId = searchParamsOf(request).get('edit');
  return json({ townName: town.name, departments, editing: departments.find((d) => d.id === editId) ?? null });
}

const departmentRef = z.object({ id: z.string().uuid() });

type ActionData = { errors?: FieldErrors; values?: Record<string, string>; formError?: string; message?: string };

function inUseMessage(result: Extract<DeleteDepartmentResult, { reason: 'in_use' }>, t: TFunction): string {
  const reasons = [
    result.categoryNames.length > 0
      ? t('errors:department.categoriesUseIt', { count: result.categoryNames.length, names: result.categoryNames.map((n) => t('errors:department.quoted', { name: n })).join(', ') })
      : null,
    result.requestCount > 0 ? t('errors:department.requestsFiled', { count: result.requestCount }) : null,
  ].filter(Boolean);
  return t('errors:department.inUse', { name: result.name, reasons: reasons.join(t('errors:department.reasonSeparator')) });
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const t = await requestT(request);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  if (form.intent === 'create' || form.intent === 'update') {
    const parsed = departmentForm.safeParse(form);
    if (!parsed.success) return json<ActionData>({ errors: wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)), values: form }, { status: 422 });
    if (form.intent === 'create') {
      const created = await createDepartment(admin, parsed.data);
      if (!created.ok) return json<ActionData>({ errors: wordFieldErrors(t, created.errors), values: form }, { status: 422 });
      return json<ActionData>({ message: t('adminDepartments.done.added', { name: parsed.data.name }) });
    }
    const ref = departmentRef.safeParse(form);
    const updated = ref.success ? await updateDepartment(admin, ref.data.id, parsed.data) : null;
    if (!updated) throw new Response(t('errors:department.notFound'), { status: 404 });
    if (!updated.ok) return json<ActionData>({ errors: wordFieldErrors(t, updated.errors), values: form }, { status: 422 });
    return redirect('/admin/departments');
  }
  if (form.intent === 'delete') {
    const ref = departmentRef.safeParse(form);
    const result = ref.success ? await deleteDepartment(admin, ref.data.id) : ({ ok: false, reason: 'not_found' } as const);
    if (result.ok) return json<ActionData>({ message: t('adminDepartments.done.deleted', { name: result.name }) });
    if (result.reason === 'not_found') throw new Response(t('errors:department.notFound'), { status: 404 });
    return json<ActionData>({ formError: inUseMessage(result, t) }, { status: 409 });
  }
  throw new Response(t('errors:unknownAction'), { status: 400 });
}

export default function AdminDepartments() {
  const { t } = useTranslation();
  const { townName, departments, editing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  const values = actionData?.errors ? actionData.values : null;
  return (
    <>
      <h1>{t('adminDepartments.departments')}</h1>
      <p>{t('adminDepartments.intro', { townName })}</p>
      <SuccessAlert message={actionData?.message} />
      <FormAlert message={actionData?.formError} />
      {departments.length === 0 ? (
        <p>{t('adminDepartments.noDepartmentsYet')}</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption>{t('adminDepartments.tableCaption', { townName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminDepartments.department')}</th>
              <th scope="col">{t('adminDepartments.notificationEmail')}</th>
              <th scope="col">{t('adminDepartments.categories')}</th>
              <th scope="col">{t('adminDepartments.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {departments.map((d) => (
              <tr key={d.id}>
                <th scope="row" data-label={t('adminDepartments.department')}>
                  {d.name}
                </th>
                <td data-label={t('adminDepartments.notificationEmail')}>{d.email ?? t('adminDepartments.none')}</td>
                <td data-label={t('adminDepartments.categories')}>{d.categoryNames.length > 0 ? d.categoryNames.join(', ') : t('adminDepartments.none')}</td>
                <td data-label={t('adminDepartments.actions')}>
                  <Link to={`?edit=${d.id}#department-form`} className="margin-right-1"><TransText t={t} i18nKey="adminDepartments.editLink" values={{ name: d.name }} components={{ span: <span className="usa-sr-only" /> }} /></Link>
                  <Form method="post" className="cc-inline-form">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="id" value={d.id} />
                    <button type="submit" className="usa-button usa-button--unstyled" disabled={busy}><TransText t={t} i18nKey="adminDepartments.deleteName" values={{ name: d.name }} components={{ span: <span className="usa-sr-only" /> }} /></button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="department-form">{editing ? t('adminDepartments.editHeading', { name: editing.name }) : t('adminDepartments.addADepartment')}</h2>
      <Form method="post" className="usa-form" noValidate aria-labelledby="department-form" key={editing?.id ?? `new-${departments.length}`}>
        <FormAlert message={Object.keys(errors).length > 0 ? t('adminDepartments.pleaseCorrectTheFieldsMarked') : null} />
        <input type="hidden" name="intent" value={editing ? 'update' : 'create'} />
        {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
        <TextField label={t('adminDepartments.name')} name="name" required maxLength={80} defaultValue={values?.name ?? editing?.name} error={errors.name} />
        <TextField
          label={t('adminDepartments.notificationEmailOptional')}
          name="email"
          type="email"
          maxLength={254}
          hint={t('adminDepartments.newRequestsForThisDepartment')}
          defaultValue={values?.email ?? editing?.email ?? ''}
          error={errors.email}
        />
        <button type="submit" className="usa-button" disabled={busy}>
          {editing ? t('adminDepartments.saveDepartment') : t('adminDepartments.addDepartment')}
        </button>
        {editing ? (
          <Link to="." className="usa-button usa-button--unstyled">{t('adminDepartments.cancel')}</Link>
        ) : null}
      </Form>
    </>
  );
}
