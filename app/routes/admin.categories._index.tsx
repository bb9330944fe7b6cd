import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { fieldErrorsOf, type FieldErrors } from '~/modules/accounts/account-forms';
import { categoryForm, TARGET_DAYS } from '~/modules/admin/admin-forms';
import { createCategory, listCategoriesForAdmin, moveCategory, setCategoryActive } from '~/modules/categories/category-admin.server';
import { formText, searchParamsOf } from '~/utils/control-characters';
import { requireTownRole } from '~/utils/permissions.server';

export const meta: MetaFunction = () => [{ title: 'Categories · Town admin' }];

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  const categories = await listCategoriesForAdmin(admin);
  const deleted = searchParamsOf(request).get('deleted');
  return json({ townName: town.name, categories, groups: [...new Set(categories.map((c) => c.group))], deleted });
}

const rowAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('move'), code: formText().min(1), direction: z.enum(['up', 'down']) }),
  z.object({ intent: z.enum(['activate', 'deactivate']), code: formText().min(1) }),
]);

type ActionData = { errors?: FieldErrors; values?: Record<string, string>; message?: string };

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  if (form.intent === 'create') {
    const parsed = categoryForm.safeParse(form);
    if (!parsed.success) return json<ActionData>({ errors: fieldErrorsOf(parsed.error), values: form }, { status: 422 });
    const created = await createCategory(admin, parsed.data);
    if (!created.ok) return json<ActionData>({ errors: created.errors, values: form }, { status: 422 });
    return redirect(`/admin/categories/${created.code}?created=1`);
  }
  const parsed = rowAction.safeParse(form);
  if (!parsed.success) throw new Response('Unknown action', { status: 400 });
  const found =
    parsed.data.intent === 'move'
      ? await moveCategory(admin, parsed.data.code, parsed.data.direction)
      : await setCategoryActive(admin, parsed.data.code, parsed.data.intent === 'activate');
  if (!found) throw new Response('No such category', { status: 404 });
  return json<ActionData>({ message: parsed.data.intent === 'move' ? 'Order saved.' : `Category ${parsed.data.intent}d.` });
}

export default function AdminCategories() {
  const { townName, categories, groups, deleted } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  return (
    <>
      <h1>Categories</h1>
      <p>
        What residents of {townName} can report, in the order the report form lists them. Changes apply to the report form at once.
        Inactive categories are hidden from residents and keep their requests.
      </p>
      <SuccessAlert message={actionData?.message ?? (deleted ? `Deleted the category “${deleted}”.` : null)} />
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption>Categories of {townName}</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Category</th>
            <th scope="col">Group</th>
            <th scope="col">Department</th>
            <th scope="col">Target (business days)</th>
            <th scope="col">Questions</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {categories.map((c, i) => (
            <tr key={c.code}>
              <td data-label="Order">
                <Form method="post" className="cc-inline-form">
                  <input type="hidden" name="intent" value="move" />
                  <input type="hidden" name="code" value={c.code} />
                  <button type="submit" name="direction" value="up" className="usa-button usa-button--unstyled margin-right-1" disabled={i === 0 || busy}>
                    Up<span className="usa-sr-only">: move {c.name} up</span>
                  </button>
                  <button type="submit" name="direction" value="down" className="usa-button usa-button--unstyled" disabled={i === categories.length - 1 || busy}>
                    Down<span className="usa-sr-only">: move {c.name} down</span>
                  </button>
                </Form>
              </td>
              <th scope="row" data-label="Category">
                <Link to={`/admin/categories/${c.code}`}>{c.name}</Link>
                <div className="text-base font-mono-3xs">{c.code}</div>
              </th>
              <td data-label="Group">{c.group}</td>
              <td data-label="Department">{c.departmentName ?? '—'}</td>
              <td data-label="Target (business days)">{c.targetDays}</td>
              <td data-label="Questions">{c.questions.length}</td>
              <td data-label="Status">
                {c.active ? 'Active' : 'Inactive'}
                <Form method="post">
                  <input type="hidden" name="code" value={c.code} />
                  <button type="submit" name="intent" value={c.active ? 'deactivate' : 'activate'} className="usa-button usa-button--unstyled" disabled={busy}>
                    {c.active ? 'Deactivate' : 'Activate'}
                    <span className="usa-sr-only"> {c.name}</span>
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="new-category">Add a category</h2>
      <p>The code residents&apos; apps and Open311 clients use is made from the name and does not change later. Add a description, a department and questions on the next page.</p>
      <Form method="post" className="usa-form" noValidate aria-labelledby="new-category">
        <FormAlert message={Object.keys(errors).length > 0 ? 'Please correct the fields marked below.' : null} />
        <input type="hidden" name="intent" value="create" />
        <TextField label="Name" name="name" required maxLength={80} defaultValue={actionData?.values?.name} error={errors.name} />
        <TextField
          label="Group"
          name="group"
          required
          maxLength={60}
          list="category-groups"
          hint="Categories with the same group are listed together."
          defaultValue={actionData?.values?.group}
          error={errors.group}
        />
        <datalist id="category-groups">
          {groups.map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
        <TextField
          label="Target time (business days)"
          name="targetDays"
          type="number"
          inputMode="numeric"
          min={TARGET_DAYS.min}
          max={TARGET_DAYS.max}
          required
          hint={`From ${TARGET_DAYS.min} to ${TARGET_DAYS.max}: how long the town aims to take.`}
          defaultValue={actionData?.values?.targetDays ?? '5'}
          error={errors.targetDays}
        />
        <button type="submit" className="usa-button" disabled={busy}>
          Add category
        </button>
      </Form>
    </>
  );
}
