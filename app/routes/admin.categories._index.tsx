import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { z } from 'zod';
import { FormAlert, SelectField, SuccessAlert, TextField } from '~/components/form-field';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { categoryForm, suggestedProgramCategory, TARGET_DAYS } from '~/modules/admin/admin-forms';
import { categoriesForAdmin, createCategory, moveCategory, setCategoryActive } from '~/modules/categories/category-admin.server';
import { formText, searchParamsOf } from '~/utils/control-characters';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminCategoriesIndex.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  const { categories, programCategories } = await categoriesForAdmin(admin);
  const deleted = searchParamsOf(request).get('deleted');
  return json({
    townName: town.name,
    categories,
    groups: [...new Set(categories.map((c) => c.group))],
    programCategories: programCategories.map((p) => ({ code: p.code, name: p.name, defaultTargetDays: p.defaultTargetDays })),
    deleted,
  });
}

const rowAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('move'), code: formText().min(1), direction: z.enum(['up', 'down']) }),
  z.object({ intent: z.enum(['activate', 'deactivate']), code: formText().min(1) }),
]);

type ActionData = { errors?: FieldErrors; values?: Record<string, string>; message?: string };

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const t = await requestT(request);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  if (form.intent === 'create') {
    const parsed = categoryForm.safeParse(form);
    if (!parsed.success) return json<ActionData>({ errors: wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)), values: form }, { status: 422 });
    const created = await createCategory(admin, parsed.data);
    if (!created.ok) return json<ActionData>({ errors: wordFieldErrors(t, created.errors), values: form }, { status: 422 });
    return redirect(`/admin/categories/${created.code}?created=1`);
  }
  const parsed = rowAction.safeParse(form);
  if (!parsed.success) throw new Response(t('errors:unknownAction'), { status: 400 });
  const found =
    parsed.data.intent === 'move'
      ? await moveCategory(admin, parsed.data.code, parsed.data.direction)
      : await setCategoryActive(admin, parsed.data.code, parsed.data.intent === 'activate');
  if (!found) throw new Response(t('errors:category.notFound'), { status: 404 });
  return json<ActionData>({ message: t(`adminCategoriesIndex.done.${parsed.data.intent}`) });
}

export default function AdminCategories() {
  const { t } = useTranslation();
  const { townName, categories, groups, programCategories, deleted } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  const programCodes = programCategories.map((p) => p.code);
  // Without JavaScript the admin chooses, and a refused form comes back with the suggestion filled in;
  // with it, the choice follows the name until the admin picks one, and the target follows the choice
  // until the admin types one.
  const [programCategory, setProgramCategory] = useState(actionData?.values?.programCategory || suggestedProgramCategory(actionData?.values?.name ?? '', programCodes));
  const [programChosen, setProgramChosen] = useState(Boolean(actionData?.values?.programCategory));
  const [targetDays, setTargetDays] = useState(actionData?.values?.targetDays ?? '5');
  const [targetTyped, setTargetTyped] = useState(actionData?.values?.targetDays !== undefined);
  return (
    <>
      <h1>{t('adminCategoriesIndex.categories')}</h1>
      <p>{t('adminCategoriesIndex.intro', { townName })}</p>
      <SuccessAlert message={actionData?.message ?? (deleted ? t('adminCategoriesIndex.deletedTheCategoryDeleted', { deleted }) : null)} />
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption>{t('adminCategoriesIndex.tableCaption', { townName })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('adminCategoriesIndex.order')}</th>
            <th scope="col">{t('adminCategoriesIndex.category')}</th>
            <th scope="col">{t('adminCategoriesIndex.group')}</th>
            <th scope="col">{t('adminCategoriesIndex.programCategory')}</th>
            <th scope="col">{t('adminCategoriesIndex.department')}</th>
            <th scope="col">{t('adminCategoriesIndex.targetBusinessDays')}</th>
            <th scope="col">{t('adminCategoriesIndex.questions')}</th>
            <th scope="col">{t('adminCategoriesIndex.status')}</th>
          </tr>
        </thead>
        <tbody>
          {categories.map((c, i) => (
            <tr key={c.code}>
              <td data-label={t('adminCategoriesIndex.order')}>
                <Form method="post" className="cc-inline-form">
                  <input type="hidden" name="intent" value="move" />
                  <input type="hidden" name="code" value={c.code} />
                  <button type="submit" name="direction" value="up" className="usa-button usa-button--unstyled margin-right-1" disabled={i === 0 || busy}><TransText t={t} i18nKey="adminCategoriesIndex.upMoveNameUp" values={{ name: c.name }} components={{ span: <span className="usa-sr-only" /> }} /></button>
                  <button type="submit" name="direction" value="down" className="usa-button usa-button--unstyled" disabled={i === categories.length - 1 || busy}><TransText t={t} i18nKey="adminCategoriesIndex.downMoveNameDown" values={{ name: c.name }} components={{ span: <span className="usa-sr-only" /> }} /></button>
                </Form>
              </td>
              <th scope="row" data-label={t('adminCategoriesIndex.category')}>
                <Link to={`/admin/categories/${c.code}`}>{c.name}</Link>
                <div className="text-base font-mono-3xs">{c.code}</div>
              </th>
              <td data-label={t('adminCategoriesIndex.group')}>{c.group}</td>
              <td data-label={t('adminCategoriesIndex.programCategory')}>{c.programCategoryName}</td>
              <td data-label={t('adminCategoriesIndex.department')}>{c.departmentName ?? '—'}</td>
              <td data-label={t('adminCategoriesIndex.targetBusinessDays')}>{c.targetDays}</td>
              <td data-label={t('adminCategoriesIndex.questions')}>{c.questions.length}</td>
              <td data-label={t('adminCategoriesIndex.status')}>
                {c.active ? t('adminCategoriesIndex.active') : t('adminCategoriesIndex.inactive')}
                <Form method="post">
                  <input type="hidden" name="code" value={c.code} />
                  <button type="submit" name="intent" value={c.active ? 'deactivate' : 'activate'} className="usa-button usa-button--unstyled" disabled={busy}>
                    {c.active ? t('adminCategoriesIndex.deactivate') : t('adminCategoriesIndex.activate')}
                    <span className="usa-sr-only"> {c.name}</span>
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="new-category">{t('adminCategoriesIndex.addACategory')}</h2>
      <p>{t('adminCategoriesIndex.theCodeResidentsAppsAnd')}</p>
      <Form method="post" className="usa-form" noValidate aria-labelledby="new-category">
        <FormAlert message={Object.keys(errors).length > 0 ? t('adminCategoriesIndex.pleaseCorrectTheFieldsMarked') : null} />
        <input type="hidden" name="intent" value="create" />
        <TextField
          label={t('adminCategoriesIndex.name')}
          name="name"
          required
          maxLength={80}
          defaultValue={actionData?.values?.name}
          error={errors.name}
          onChange={(event) => {
            if (!programChosen) setProgramCategory(suggestedProgramCategory(event.target.value, programCodes));
          }}
        />
        <TextField
          label={t('adminCategoriesIndex.group')}
          name="group"
          required
          maxLength={60}
          list="category-groups"
          hint={t('adminCategoriesIndex.categoriesWithTheSameGroup')}
          defaultValue={actionData?.values?.group}
          error={errors.group}
        />
        <datalist id="category-groups">
          {groups.map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
        <SelectField
          label={t('adminCategoriesIndex.programCategory')}
          name="programCategory"
          required
          hint={t('adminCategoriesIndex.programCategoryHint')}
          options={[{ value: '', label: t('adminCategoriesIndex.chooseAProgramCategory') }, ...programCategories.map((p) => ({ value: p.code, label: p.name }))]}
          value={programCategory}
          onChange={(event) => {
            setProgramCategory(event.target.value);
            setProgramChosen(true);
            const chosen = programCategories.find((p) => p.code === event.target.value);
            if (chosen && !targetTyped) setTargetDays(String(chosen.defaultTargetDays));
          }}
          error={errors.programCategory}
        />
        <TextField
          label={t('adminCategoriesIndex.targetTimeBusinessDays')}
          name="targetDays"
          type="number"
          inputMode="numeric"
          min={TARGET_DAYS.min}
          max={TARGET_DAYS.max}
          required
          hint={t('adminCategoriesIndex.fromMinToMaxHow', { min: TARGET_DAYS.min, max: TARGET_DAYS.max })}
          value={targetDays}
          onChange={(event) => {
            setTargetDays(event.target.value);
            setTargetTyped(true);
          }}
          error={errors.targetDays}
        />
        <button type="submit" className="usa-button" disabled={busy}>{t('adminCategoriesIndex.addCategory')}</button>
      </Form>
    </>
  );
}
