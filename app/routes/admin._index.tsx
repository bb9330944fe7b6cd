import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { OnboardingChecklistList } from '~/components/onboarding-checklist';
import { TownLifecycleSummary } from '~/components/town-lifecycle';
import { lifecycleOf } from '~/modules/towns/town-lifecycle.server';
import { onboardingConfirmationForm } from '~/modules/towns/onboarding-form';
import { confirmOnboardingStep, onboardingChecklistForAdmin } from '~/modules/towns/onboarding.server';
import { requestT } from '~/i18n/i18n.server';
import { getAdminOverview } from '~/modules/admin/overview.server';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';

export async function loader(args: LoaderFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  const lifecycle = lifecycleOf(town);
  return json({
    town: { name: town.name, grantStart: town.grantStart, grantEnd: town.grantEnd },
    lifecycle,
    overview: await getAdminOverview(admin),
    // While the town is onboarding its admin works through the checklist state staff will check.
    checklist: lifecycle.state === 'onboarding' ? await onboardingChecklistForAdmin(admin) : null,
  });
}

export async function action(args: ActionFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const parsed = onboardingConfirmationForm.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) throw new Response((await requestT(args.request))('errors:unknownAction'), { status: 400 });
  await confirmOnboardingStep(admin, parsed.data.intent);
  return redirect('/admin');
}

export default function AdminOverview() {
  const { t } = useTranslation();
  const { town, lifecycle, overview, checklist } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <h1>{t('adminIndex.nameAdministration', { name: town.name })}</h1>
      {checklist ? (
        <section aria-labelledby="checklist-heading" className="margin-bottom-4">
          <h2 id="checklist-heading">{t('onboardingChecklist.heading')}</h2>
          <p>{t('adminIndex.checklistIntro', { name: town.name })}</p>
          <OnboardingChecklistList checklist={checklist} />
          <ul className="usa-list">
            <li>
              <Link to="/admin/boundary">{t('adminIndex.checkTheBoundary')}</Link>
            </li>
            <li>
              <Link to="/admin/categories">{t('adminIndex.reviewTheCategories')}</Link>
            </li>
            <li>
              <Link to="/admin/departments">{t('adminIndex.addDepartments')}</Link>
            </li>
            <li>
              <Link to="/admin/staff">{t('adminIndex.inviteYourTeam')}</Link>
            </li>
            <li>
              <Link to="/report">{t('adminIndex.makeATestRequest')}</Link>
            </li>
          </ul>
          <Form method="post" className="display-flex flex-wrap">
            {checklist.items.find((i) => i.item === 'boundary_confirmed')?.done ? null : (
              <button type="submit" name="intent" value="confirm_boundary" className="usa-button usa-button--outline" disabled={busy}>
                {t('adminIndex.confirmBoundary')}
              </button>
            )}
            {checklist.items.find((i) => i.item === 'categories_reviewed')?.done ? null : (
              <button type="submit" name="intent" value="confirm_categories" className="usa-button usa-button--outline" disabled={busy}>
                {t('adminIndex.confirmCategories')}
              </button>
            )}
          </Form>
        </section>
      ) : null}
      <h2>{t('adminIndex.grantTerm')}</h2>
      <p>{t('adminIndex.theCommonwealthFundsNameS', { name: town.name })}</p>
      <dl className="usa-summary-box">
        <div className="usa-summary-box__body">
          <dt className="text-bold">{t('adminIndex.start')}</dt>
          <dd className="margin-left-0 margin-bottom-1">{town.grantStart}</dd>
          <dt className="text-bold">{t('adminIndex.end')}</dt>
          <dd className="margin-left-0 margin-bottom-1">{town.grantEnd}</dd>
          <dt className="text-bold">{t('adminIndex.status')}</dt>
          <dd className="margin-left-0">
            <TownLifecycleSummary lifecycle={lifecycle} />
          </dd>
        </div>
      </dl>
      <p>
        <Link to="/admin/billing">{t('adminIndex.billing')}</Link>
      </p>
      <h2>{t('adminIndex.atAGlance')}</h2>
      <ul className="usa-list">
        <li>
          <Link to="/admin/categories">
            {t('adminIndex.activeCategories', { count: overview.categories.active })}
          </Link>
          {overview.categories.inactive > 0 ? t('adminIndex.inactiveInactive', { inactive: overview.categories.inactive }) : ''}
        </li>
        <li>
          <Link to="/admin/departments">
            {t('adminIndex.departments', { count: overview.departments })}
          </Link>
        </li>
        <li>
          <Link to="/admin/staff">
            {t('adminIndex.members', { count: overview.members.admin, staff: overview.members.staff })}
          </Link>
          {overview.pendingInvitations > 0 ? t('adminIndex.pendingInvitations', { count: overview.pendingInvitations }) : ''}
        </li>
      </ul>
    </>
  );
}
