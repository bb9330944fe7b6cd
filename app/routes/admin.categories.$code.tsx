import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { describedBy, FieldGroup, FormAlert, SuccessAlert, TextAreaField, TextField } from '~/components/form-field';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { CATEGORY_DESCRIPTION_MAX, categoryForm, categoryKeywordsForm, CHOICES_LIMIT, QUESTION_TYPE_LABEL, questionForm, TARGET_DAYS } from '~/modules/admin/admin-forms';
import { KEYWORD_LIMITS } from '~/modules/categories/category-match';
import {
  addQuestion,
  categoriesForAdmin,
  deleteCategory,
  deleteQuestion,
  moveQuestion,
  QUESTIONS_PER_CATEGORY_MAX,
  setCategoryActive,
  updateCategory,
  updateCategoryKeywords,
  updateQuestion,
  type Outcome,
} from '~/modules/categories/category-admin.server';
import { listDepartmentsForAdmin } from '~/modules/departments/departments.server';
import { formText, pathParam, searchParamsOf } from '~/utils/control-characters';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: metaT(matches)('adminCategoriesCode.pageTitle', { categoryName: data?.category.name ?? metaT(matches)('adminCategoriesCode.category') }) }];

export async function loader(args: LoaderFunctionArgs) {
  const { request, params } = args;
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  const { categories: all, programCategories } = await categoriesForAdmin(admin);
  const code = pathParam(params, 'code');
  const category = all.find((c) => c.code === code);
  if (!category) throw new Response(`${town.name} has no category with the code “${code}”.`, { status: 404 });
  const search = searchParamsOf(request);
  const departments = (await listDepartmentsForAdmin(admin)).map((d) => ({ id: d.id, name: d.name }));
  return json({
    category,
    departments,
    programCategories: programCategories.map((p) => ({ code: p.code, name: p.name })),
    groups: [...new Set(all.map((c) => c.group))],
    editing: category.questions.find((q) => q.code === search.get('question')) ?? null,
    created: search.has('created'),
    // Constants of .server modules do not reach the browser bundle, so the page gets it here.
    questionsMax: QUESTIONS_PER_CATEGORY_MAX,
  });
}

const questionRef = z.object({ questionCode: formText().min(1) });
const direction = z.object({ direction: z.enum(['up', 'down']) });

type FormName = 'settings' | 'keywords' | 'question' | 'availability';
type ActionData = { form: FormName; errors?: FieldErrors; values?: Record<string, string>; formError?: string; message?: string };

export async function action(args: ActionFunctionArgs) {
  const { request, params } = args;
  const admin = await requireTownRole(args, 'admin');
  const code = pathParam(params, 'code');
  const t = await requestT(request);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const invalid = (name: FormName, errors: FieldErrors) => json<ActionData>({ form: name, errors, values: form }, { status: 422 });
  const done = (name: FormName, outcome: Outcome | null, message: string) => {
    if (!outcome) throw new Response(t('errors:category.orQuestionNotFound'), { status: 404 });
    return outcome.ok ? json<ActionData>({ form: name, message }) : invalid(name, wordFieldErrors(t, outcome.errors));
  };

  switch (form.intent) {
    case 'update': {
      const parsed = categoryForm.safeParse(form);
      if (!parsed.success) return invalid('settings', wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)));
      return done('settings', await updateCategory(admin, code, parsed.data), t('adminCategoriesCode.done.saved'));
    }
    case 'keywords': {
      const parsed = categoryKeywordsForm.safeParse(form);
      if (!parsed.success) return invalid('keywords', wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)));
      return done('keywords', await updateCategoryKeywords(admin, code, parsed.data.keywords), t('adminCategoriesCode.done.keywordsSaved'));
    }
    case 'activate':
    case 'deactivate': {
      const found = await setCategoryActive(admin, code, form.intent === 'activate');
      if (!found) throw new Response(t('errors:category.notFound'), { status: 404 });
      return json<ActionData>({ form: 'availability', message: t(`adminCategoriesCode.done.${form.intent}`) });
    }
    case 'delete': {
      const result = await deleteCategory(admin, code);
      if (result.ok) return redirect(`/admin/categories?${new URLSearchParams({ deleted: result.name })}`);
      if (result.reason === 'not_found') throw new Response(t('errors:category.notFound'), { status: 404 });
      return json<ActionData>(
        {
          form: 'availability',
          formError: t('errors:category.inUse', { count: result.requestCount }),
        },
        { status: 409 },
      );
    }
    case 'add-question':
    case 'update-question': {
      const parsed = questionForm.safeParse(form);
      if (!parsed.success) return invalid('question', wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)));
      if (form.intent === 'add-question') return done('question', await addQuestion(admin, code, parsed.data), t('adminCategoriesCode.done.questionAdded'));
      const ref = questionRef.safeParse(form);
      if (!ref.success) throw new Response(t('errors:category.whichQuestion'), { status: 400 });
      return done('question', await updateQuestion(admin, code, ref.data.questionCode, parsed.data), t('adminCategoriesCode.done.questionSaved'));
    }
    case 'delete-question':
    case 'move-question': {
      const ref = questionRef.safeParse(form);
      if (!ref.success) throw new Response(t('errors:category.whichQuestion'), { status: 400 });
      if (form.intent === 'delete-question') return done('question', await deleteQuestion(admin, code, ref.data.questionCode), t('adminCategoriesCode.done.questionDeleted'));
      const move = direction.safeParse(form);
      if (!move.success) throw new Response(t('errors:category.moveWhichWay'), { status: 400 });
      return done('question', await moveQuestion(admin, code, ref.data.questionCode, move.data.direction), t('adminCategoriesCode.done.orderSaved'));
    }
    default:
      throw new Response(t('errors:unknownAction'), { status: 400 });
  }
}


export default function AdminCategory() {
  const { t } = useTranslation();
  const { category, departments, programCategories, groups, editing, created, questionsMax } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errorsFor = (name: FormName) => (actionData?.form === name ? (actionData.errors ?? {}) : {});
  const valuesFor = (name: FormName) => (actionData?.form === name && actionData.errors ? (actionData.values ?? {}) : null);
  const settingsErrors = errorsFor('settings');
  const settings = valuesFor('settings') ?? {
    name: category.name,
    group: category.group,
    description: category.description,
    targetDays: String(category.targetDays),
    ackTargetDays: String(category.ackTargetDays),
    departmentId: category.departmentId ?? '',
    programCategory: category.programCategory,
  };
  const keywordErrors = errorsFor('keywords');
  const keywords = valuesFor('keywords')?.keywords ?? category.keywords.join('\n');
  const questionErrors = errorsFor('question');
  const question = valuesFor('question') ?? {
    label: editing?.label ?? '',
    type: editing?.type ?? 'text',
    required: editing?.required ? 'on' : '',
    public: editing?.public ? 'on' : '',
    choices: (editing?.choices ?? []).map((c) => `${c.value} | ${c.label}`).join('\n'),
  };
  const messageFor = (name: FormName) => (actionData?.form === name ? actionData.message : null);

  return (
    <>
      <p>
        <Link to="/admin/categories">{t('adminCategoriesCode.allCategories')}</Link>
      </p>
      <h1>
        {category.name} <span className={`usa-tag${category.active ? '' : ' bg-base'}`}>{category.active ? t('adminCategoriesCode.active') : t('adminCategoriesCode.inactive')}</span>
      </h1>
      <p><TransText t={t} i18nKey="adminCategoriesCode.codeForOpen311" values={{ code: category.code }} components={{ code: <code /> }} /></p>
      <SuccessAlert message={created ? t('adminCategoriesCode.categoryAddedResidentsCanChoose') : null} />

      <h2 id="settings-heading">{t('adminCategoriesCode.settings')}</h2>
      <SuccessAlert message={messageFor('settings')} />
      <Form method="post" className="usa-form usa-form--large" noValidate aria-labelledby="settings-heading" key={`settings-${category.name}`}>
        <FormAlert message={Object.keys(settingsErrors).length > 0 ? t('adminCategoriesCode.pleaseCorrectTheFieldsMarked') : null} />
        <input type="hidden" name="intent" value="update" />
        <TextField label={t('adminCategoriesCode.name')} name="name" required maxLength={80} defaultValue={settings.name} error={settingsErrors.name} />
        <TextField label={t('adminCategoriesCode.group')} name="group" required maxLength={60} list="category-groups" defaultValue={settings.group} error={settingsErrors.group} />
        <datalist id="category-groups">
          {groups.map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
        <FieldGroup id="field-description" label={t('adminCategoriesCode.description')} hint={t('adminCategoriesCode.shownToResidentsUnderThe', { max: CATEGORY_DESCRIPTION_MAX })} error={settingsErrors.description}>
          <textarea
            className={`usa-textarea${settingsErrors.description ? ' usa-input--error' : ''}`}
            id="field-description"
            name="description"
            maxLength={CATEGORY_DESCRIPTION_MAX}
            rows={3}
            defaultValue={settings.description}
            aria-describedby={describedBy('field-description', true, settingsErrors.description)}
            aria-invalid={settingsErrors.description ? true : undefined}
          />
        </FieldGroup>
        <TextField
          label={t('adminCategoriesCode.targetTimeBusinessDays')}
          name="targetDays"
          type="number"
          inputMode="numeric"
          min={TARGET_DAYS.min}
          max={TARGET_DAYS.max}
          required
          hint={t('adminCategoriesCode.fromMinToMaxNew', { min: TARGET_DAYS.min, max: TARGET_DAYS.max })}
          defaultValue={settings.targetDays}
          error={settingsErrors.targetDays}
        />
        <TextField
          label={t('adminCategoriesCode.ackTargetBusinessDays')}
          name="ackTargetDays"
          type="number"
          inputMode="numeric"
          min={TARGET_DAYS.min}
          max={TARGET_DAYS.max}
          required
          hint={t('adminCategoriesCode.ackTargetHint', { min: TARGET_DAYS.min, max: TARGET_DAYS.max })}
          defaultValue={settings.ackTargetDays}
          error={settingsErrors.ackTargetDays}
        />
        <FieldGroup id="field-departmentId" label={t('adminCategoriesCode.department')} hint={t('adminCategoriesCode.newRequestsInThisCategory')} error={settingsErrors.departmentId}>
          <select
            className={`usa-select${settingsErrors.departmentId ? ' usa-input--error' : ''}`}
            id="field-departmentId"
            name="departmentId"
            defaultValue={settings.departmentId}
            aria-describedby={describedBy('field-departmentId', true, settingsErrors.departmentId)}
            aria-invalid={settingsErrors.departmentId ? true : undefined}
          >
            <option value="">{t('adminCategoriesCode.noDepartment')}</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </FieldGroup>
        {departments.length === 0 ? (
          <p className="usa-hint"><TransText t={t} i18nKey="adminCategoriesCode.addDepartmentsToRouteCategories" components={{ a: <Link to="/admin/departments" /> }} /></p>
        ) : null}
        <FieldGroup id="field-programCategory" label={t('adminCategoriesCode.programCategory')} hint={t('adminCategoriesCode.programCategoryHint')} error={settingsErrors.programCategory}>
          <select
            className={`usa-select${settingsErrors.programCategory ? ' usa-input--error' : ''}`}
            id="field-programCategory"
            name="programCategory"
            required
            defaultValue={settings.programCategory}
            aria-describedby={describedBy('field-programCategory', true, settingsErrors.programCategory)}
            aria-invalid={settingsErrors.programCategory ? true : undefined}
          >
            {programCategories.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </FieldGroup>
        <button type="submit" className="usa-button" disabled={busy}>{t('adminCategoriesCode.saveSettings')}</button>
      </Form>

      <h2 id="keywords-heading">{t('adminCategoriesCode.searchWords')}</h2>
      <p>{t('adminCategoriesCode.searchWordsIntro')}</p>
      <SuccessAlert message={messageFor('keywords')} />
      <Form method="post" className="usa-form usa-form--large" noValidate aria-labelledby="keywords-heading" key={`keywords-${category.keywords.join()}`}>
        <FormAlert message={Object.keys(keywordErrors).length > 0 ? t('adminCategoriesCode.pleaseCorrectTheFieldsMarked') : null} />
        <input type="hidden" name="intent" value="keywords" />
        <TextAreaField
          label={t('adminCategoriesCode.searchWordsLabel')}
          name="keywords"
          hint={t('adminCategoriesCode.searchWordsHint', { max: KEYWORD_LIMITS.perCategory, length: KEYWORD_LIMITS.length })}
          rows={6}
          defaultValue={keywords}
          error={keywordErrors.keywords}
        />
        <button type="submit" className="usa-button" disabled={busy}>{t('adminCategoriesCode.saveSearchWords')}</button>
      </Form>

      <h2 id="availability-heading">{t('adminCategoriesCode.availability')}</h2>
      <SuccessAlert message={messageFor('availability')} />
      <FormAlert message={actionData?.form === 'availability' ? actionData.formError : null} />
      <p>
        {category.active ? t('adminCategoriesCode.residentsCanChooseThisCategory') : t('adminCategoriesCode.hiddenFromResidentsExistingRequests')}{' '}
        {category.inUse ? t('adminCategoriesCode.requestsUseThisCategorySo') : t('adminCategoriesCode.noRequestUsesItYet')}
      </p>
      <Form method="post" className="display-flex flex-wrap" aria-labelledby="availability-heading">
        <button type="submit" name="intent" value={category.active ? 'deactivate' : 'activate'} className="usa-button usa-button--outline" disabled={busy}>
          {category.active ? t('adminCategoriesCode.deactivate') : t('adminCategoriesCode.activate')}
        </button>
        {category.inUse ? null : (
          <button type="submit" name="intent" value="delete" className="usa-button usa-button--secondary" disabled={busy}>{t('adminCategoriesCode.deleteCategory')}</button>
        )}
      </Form>

      <h2 id="questions-heading">{t('adminCategoriesCode.extraQuestions')}</h2>
      <p>{t('adminCategoriesCode.askedOnTheReportForm')}</p>
      <SuccessAlert message={messageFor('question')} />
      {category.questions.length === 0 ? (
        <p>{t('adminCategoriesCode.thisCategoryAsksNoExtra')}</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption>{t('adminCategoriesCode.questionsForNameInThe', { name: category.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminCategoriesCode.order')}</th>
              <th scope="col">{t('adminCategoriesCode.question')}</th>
              <th scope="col">{t('adminCategoriesCode.answer')}</th>
              <th scope="col">{t('adminCategoriesCode.required')}</th>
              <th scope="col">{t('adminCategoriesCode.visibleTo')}</th>
              <th scope="col">{t('adminCategoriesCode.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {category.questions.map((q, i) => (
              <tr key={q.code}>
                <td data-label={t('adminCategoriesCode.order')}>
                  <Form method="post" className="cc-inline-form">
                    <input type="hidden" name="intent" value="move-question" />
                    <input type="hidden" name="questionCode" value={q.code} />
                    <button type="submit" name="direction" value="up" className="usa-button usa-button--unstyled margin-right-1" disabled={i === 0 || busy}><TransText t={t} i18nKey="adminCategoriesCode.upMoveLabelUp" values={{ label: q.label }} components={{ span: <span className="usa-sr-only" /> }} /></button>
                    <button type="submit" name="direction" value="down" className="usa-button usa-button--unstyled" disabled={i === category.questions.length - 1 || busy}><TransText t={t} i18nKey="adminCategoriesCode.downMoveLabelDown" values={{ label: q.label }} components={{ span: <span className="usa-sr-only" /> }} /></button>
                  </Form>
                </td>
                <th scope="row" data-label={t('adminCategoriesCode.question')}>
                  {q.label}
                  {q.choices ? <div className="text-base">{q.choices.map((c) => c.label).join(' · ')}</div> : null}
                </th>
                <td data-label={t('adminCategoriesCode.answer')}>{QUESTION_TYPE_LABEL[q.type]}</td>
                <td data-label={t('adminCategoriesCode.required')}>{q.required ? t('adminCategoriesCode.yes') : t('adminCategoriesCode.no')}</td>
                <td data-label={t('adminCategoriesCode.visibleTo')}>{q.public ? t('adminCategoriesCode.everyone') : t('adminCategoriesCode.staffOnly')}</td>
                <td data-label={t('adminCategoriesCode.actions')}>
                  <Link to={`?question=${q.code}#question-form`} className="margin-right-1"><TransText t={t} i18nKey="adminCategoriesCode.editQuestionLink" values={{ label: q.label }} components={{ span: <span className="usa-sr-only" /> }} /></Link>
                  <Form method="post" className="cc-inline-form">
                    <input type="hidden" name="intent" value="delete-question" />
                    <input type="hidden" name="questionCode" value={q.code} />
                    <button type="submit" className="usa-button usa-button--unstyled" disabled={busy}><TransText t={t} i18nKey="adminCategoriesCode.deleteLabel" values={{ label: q.label }} components={{ span: <span className="usa-sr-only" /> }} /></button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3 id="question-form">{editing ? t('adminCategoriesCode.editQuestionHeading', { label: editing.label }) : t('adminCategoriesCode.addAQuestion')}</h3>
      {!editing && category.questions.length >= questionsMax ? (
        <p>{t('adminCategoriesCode.thisCategoryHasTheMost', { questionsMax })}</p>
      ) : (
        <Form method="post" className="usa-form usa-form--large" noValidate aria-labelledby="question-form" key={editing?.code ?? `new-${category.questions.length}`}>
          <FormAlert message={Object.keys(questionErrors).length > 0 ? t('adminCategoriesCode.pleaseCorrectTheFieldsMarked') : null} />
          <input type="hidden" name="intent" value={editing ? 'update-question' : 'add-question'} />
          {editing ? <input type="hidden" name="questionCode" value={editing.code} /> : null}
          <TextField label={t('adminCategoriesCode.question')} name="label" required maxLength={200} defaultValue={question.label} error={questionErrors.label} />
          <FieldGroup id="field-type" label={t('adminCategoriesCode.answerType')} error={questionErrors.type}>
            <select
              className="usa-select"
              id="field-type"
              name="type"
              defaultValue={question.type}
              aria-describedby={describedBy('field-type', false, questionErrors.type)}
              aria-invalid={questionErrors.type ? true : undefined}
            >
              {Object.entries(QUESTION_TYPE_LABEL).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </FieldGroup>
          <FieldGroup
            id="field-choices"
            label={t('adminCategoriesCode.choicesForOneChoiceAnd')}
            hint={t('adminCategoriesCode.minToMaxChoicesOne', { min: CHOICES_LIMIT.min, max: CHOICES_LIMIT.max })}
            error={questionErrors.choices}
          >
            <textarea
              className={`usa-textarea${questionErrors.choices ? ' usa-input--error' : ''}`}
              id="field-choices"
              name="choices"
              rows={5}
              defaultValue={question.choices}
              aria-describedby={describedBy('field-choices', true, questionErrors.choices)}
              aria-invalid={questionErrors.choices ? true : undefined}
            />
          </FieldGroup>
          <fieldset className="usa-fieldset margin-top-3">
            <legend className="usa-legend">{t('adminCategoriesCode.options')}</legend>
            <div className="usa-checkbox">
              <input className="usa-checkbox__input" id="field-required" type="checkbox" name="required" defaultChecked={question.required === 'on'} />
              <label className="usa-checkbox__label" htmlFor="field-required">{t('adminCategoriesCode.residentsMustAnswer')}</label>
            </div>
            <div className="usa-checkbox">
              <input className="usa-checkbox__input" id="field-public" type="checkbox" name="public" defaultChecked={question.public === 'on'} />
              <label className="usa-checkbox__label" htmlFor="field-public">{t('adminCategoriesCode.showTheAnswerOnThe')}</label>
            </div>
          </fieldset>
          <button type="submit" className="usa-button" disabled={busy}>
            {editing ? t('adminCategoriesCode.saveQuestion') : t('adminCategoriesCode.addQuestion')}
          </button>
          {editing ? (
            <Link to="." className="usa-button usa-button--unstyled">{t('adminCategoriesCode.cancel')}</Link>
          ) : null}
        </Form>
      )}
    </>
  );
}
