import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { FormAlert, SuccessAlert, TextAreaField, TextField } from '~/components/form-field';
import { OnboardingChecklistList } from '~/components/onboarding-checklist';
import { TownLifecycleSummary } from '~/components/town-lifecycle';
import { lifecycleOf } from '~/modules/towns/town-lifecycle.server';
import { townLifecycleActionForm } from '~/modules/towns/onboarding-form';
import { changeGrantTerm, goLive, leaveProgram, onboardingChecklistForState, rejoinProgram } from '~/modules/towns/onboarding.server';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { requireStateStaffForTown } from '~/utils/state-town.server';
import { siteOrigin } from '~/utils/town.server';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { searchParamsOf } from '~/utils/control-characters';
import { useTranslation } from 'react-i18next';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: metaT(matches)('stateTownOnboarding.pageTitle', { name: data?.town.name ?? '' }) }];

export async function loader(args: LoaderFunctionArgs) {
  const { stateStaff, town } = await requireStateStaffForTown(args);
  return json({
    town: { name: town.name, slug: town.slug, trackingCode: town.trackingCode, grantStart: town.grantStart, grantEnd: town.grantEnd, origin: siteOrigin(town.slug) },
    lifecycle: lifecycleOf(town),
    checklist: await onboardingChecklistForState(stateStaff, town.id),
    added: searchParamsOf(args.request).get('added') === '1',
  });
}

type ActionData = { errors?: FieldErrors; formError?: string; values?: Record<string, string> };

export async function action(args: ActionFunctionArgs) {
  const { stateStaff, town } = await requireStateStaffForTown(args);
  const t = await requestT(args.request);
  const values = Object.fromEntries(await args.request.formData()) as Record<string, string>;
  const parsed = townLifecycleActionForm.safeParse(values);
  if (!parsed.success) return json<ActionData>({ errors: wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)), values }, { status: 422 });
  const form = parsed.data;
  const result =
    form.intent === 'go_live'
      ? await goLive(stateStaff, town)
      : form.intent === 'change_grant_term'
        ? await changeGrantTerm(stateStaff, town, { grantStart: form.grantStart, grantEnd: form.grantEnd, reason: form.termReason })
        : form.intent === 'leave_program'
          ? await leaveProgram(stateStaff, town, form.reason)
          : await rejoinProgram(stateStaff, town, form.reason);
  if (!result.ok) return json<ActionData>({ formError: t(`errors:townLifecycle.${result.code}`, { name: town.name }) }, { status: 409 });
  return redirect(`/state/towns/${town.slug}/onboarding`);
}

export default function TownOnboarding() {
  const { t } = useTranslation();
  const { town, lifecycle, checklist, added } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  const state = lifecycle.state;
  // Each form shows its own errors and keeps its own typed values.
  const sentIntent = actionData?.values?.intent;
  const termErrors = sentIntent === 'change_grant_term' ? errors : {};
  const membershipErrors = sentIntent === 'change_grant_term' ? {} : errors;
  const termValue = (name: string, fallback: string) => (sentIntent === 'change_grant_term' ? (actionData?.values?.[name] ?? fallback) : fallback);
  return (
    <>
      <p>
        <Link to="/state">{t('stateTownsNew.backToConsole')}</Link>
      </p>
      <h1>{t('stateTownOnboarding.heading', { name: town.name })}</h1>
      <SuccessAlert message={added ? t('stateTownOnboarding.added', { name: town.name }) : null} />
      <FormAlert message={actionData?.formError ?? errors.intent} />
      <dl className="usa-summary-box">
        <div className="usa-summary-box__body">
          <dt className="text-bold">{t('stateTownOnboarding.state')}</dt>
          <dd className="margin-left-0 margin-bottom-1">
            <TownLifecycleSummary lifecycle={lifecycle} />
          </dd>
          <dt className="text-bold">{t('stateTownOnboarding.site')}</dt>
          <dd className="margin-left-0 margin-bottom-1">
            <a href={town.origin}>{town.origin}</a>
          </dd>
          <dt className="text-bold">{t('stateTownOnboarding.trackingCode')}</dt>
          <dd className="margin-left-0 margin-bottom-1">{town.trackingCode}</dd>
          <dt className="text-bold">{t('stateTownOnboarding.grantTerm')}</dt>
          <dd className="margin-left-0">
            {town.grantStart} – {town.grantEnd}
          </dd>
        </div>
      </dl>
      {state === 'onboarding' ? (
        <section aria-labelledby="checklist-heading">
          <h2 id="checklist-heading">{t('onboardingChecklist.heading')}</h2>
          <p>{t('stateTownOnboarding.checklistIntro', { name: town.name })}</p>
          <OnboardingChecklistList checklist={checklist} />
          <Form method="post">
            <input type="hidden" name="intent" value="go_live" />
            <button type="submit" className="usa-button" disabled={busy || !checklist.complete} aria-describedby="go-live-hint">
              {t('stateTownOnboarding.goLive', { name: town.name })}
            </button>
            <p className="usa-hint" id="go-live-hint">
              {checklist.complete ? t('stateTownOnboarding.goLiveReady') : t('stateTownOnboarding.goLiveWhenComplete')}
            </p>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="term-heading">
        <h2 id="term-heading">{t('stateTownOnboarding.termHeading')}</h2>
        <p>{t('stateTownOnboarding.termIntro', { name: town.name })}</p>
        <Form method="post" className="usa-form">
          <input type="hidden" name="intent" value="change_grant_term" />
          <TextField label={t('stateTownsNew.grantStart')} name="grantStart" type="date" defaultValue={termValue('grantStart', town.grantStart)} error={termErrors.grantStart} required />
          <TextField label={t('stateTownOnboarding.grantEnd')} name="grantEnd" type="date" defaultValue={termValue('grantEnd', town.grantEnd)} error={termErrors.grantEnd} required />
          <TextAreaField label={t('stateTownOnboarding.reason')} name="termReason" hint={t('stateTownOnboarding.reasonHint')} error={termErrors.termReason} defaultValue={termValue('termReason', '')} rows={2} required />
          <button type="submit" className="usa-button usa-button--outline" disabled={busy}>
            {t('stateTownOnboarding.saveTerm')}
          </button>
        </Form>
      </section>
      <section aria-labelledby="membership-heading">
        <h2 id="membership-heading">{state === 'left' ? t('stateTownOnboarding.rejoinHeading') : t('stateTownOnboarding.leaveHeading')}</h2>
        <p>{state === 'left' ? t('stateTownOnboarding.rejoinIntro', { name: town.name }) : t('stateTownOnboarding.leaveIntro', { name: town.name })}</p>
        <Form method="post" className="usa-form">
          <input type="hidden" name="intent" value={state === 'left' ? 'rejoin_program' : 'leave_program'} />
          <TextAreaField label={t('stateTownOnboarding.reason')} name="reason" hint={t('stateTownOnboarding.reasonHint')} error={membershipErrors.reason} defaultValue={sentIntent === 'change_grant_term' ? '' : (actionData?.values?.reason ?? '')} rows={3} required />
          <button type="submit" className={state === 'left' ? 'usa-button' : 'usa-button usa-button--secondary'} disabled={busy}>
            {state === 'left' ? t('stateTownOnboarding.rejoin', { name: town.name }) : t('stateTownOnboarding.leave', { name: town.name })}
          </button>
        </Form>
      </section>
    </>
  );
}
