import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { TownTime } from '~/components/town-time';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { invitationForm, memberRoleForm, openRequestsForm } from '~/modules/admin/admin-forms';
import { INVITATION_VALID_DAYS, inviteStaff, listPendingInvitations, revokeInvitation } from '~/modules/admin/invitations.server';
import { changeMemberRole, listTownMembers, removeMember, type MemberChangeResult, type OpenRequestsDecision } from '~/modules/admin/members.server';
import type { RequestLinks } from '~/modules/requests/request-updates.server';
import type { TownRole } from '#db/vocabulary';
import { requireTownRole } from '~/utils/permissions.server';
import { siteOrigin, townLinks } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';
import type { TFunction } from 'i18next';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminStaff.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  const [members, invitations] = await Promise.all([listTownMembers(admin), listPendingInvitations(admin)]);
  return json({
    townName: town.name,
    timezone: town.timezone,
    members,
    invitations,
    currentUserId: admin.user.id,
    now: new Date().toISOString(),
    // Constants of .server modules do not reach the browser bundle, so the page gets it here.
    validDays: INVITATION_VALID_DAYS,
  });
}

/** The question a removal or demotion asks when the person has open requests (the page shows its form). */
type OpenRequestsQuestion = { intent: 'remove' | 'change-role'; userId: string; role: TownRole | null; email: string; openRequests: number; allowKeep: boolean };

type ActionData = { errors?: FieldErrors; values?: Record<string, string>; formError?: string; message?: string; openRequests?: OpenRequestsQuestion };

function refusal(result: Exclude<MemberChangeResult, { ok: true }>, townName: string, t: TFunction, question: Omit<OpenRequestsQuestion, 'email' | 'openRequests'>): Response {
  switch (result.reason) {
    case 'not_member':
      throw new Response(t('errors:staff.notMember'), { status: 404 });
    case 'last_admin':
      return json<ActionData>({ formError: t(result.self ? 'errors:staff.lastAdminSelf' : 'errors:staff.lastAdmin', { townName }) }, { status: 409 });
    case 'choose_reassignment':
      // Not an error: the page asks, and the answer comes back with the change itself.
      return json<ActionData>({ openRequests: { ...question, email: result.email, openRequests: result.openRequests } }, { status: 200 });
    case 'bad_person':
      return json<ActionData>({ formError: t('errors:staff.chooseReassignee'), openRequests: { ...question, email: result.email, openRequests: result.openRequests } }, { status: 422 });
  }
}

/** The admin's answer for the person's open requests, if the form carried one. */
function openRequestsDecision(form: Record<string, string>, links: RequestLinks): OpenRequestsDecision | null {
  const { openRequests, reassignTo } = openRequestsForm.parse(form);
  switch (openRequests) {
    case undefined:
      return null;
    case 'keep':
      return { to: 'keep' };
    case 'person':
      return { to: 'person', userId: reassignTo ?? '', links };
    default:
      return { to: openRequests, links };
  }
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  const t = await requestT(request);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  switch (form.intent) {
    case 'invite': {
      const parsed = invitationForm.safeParse(form);
      if (!parsed.success) return json<ActionData>({ errors: wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)), values: form }, { status: 422 });
      const origin = siteOrigin(town.slug);
      const result = await inviteStaff(admin, { ...parsed.data, acceptUrl: (token) => `${origin}/invitations/${token}` });
      if (!result.ok) {
        const errors = { email: t(`errors:staff.alreadyMember.${result.role}`, { email: parsed.data.email, townName: town.name }) };
        return json<ActionData>({ errors, values: form }, { status: 422 });
      }
      return json<ActionData>({ message: t('adminStaff.done.invited', { email: parsed.data.email, days: INVITATION_VALID_DAYS }) });
    }
    case 'revoke': {
      const ref = z.object({ id: z.string().uuid() }).safeParse(form);
      if (!ref.success || !(await revokeInvitation(admin, ref.data.id))) throw new Response(t('errors:staff.noSuchInvitation'), { status: 404 });
      return json<ActionData>({ message: t('adminStaff.done.revoked') });
    }
    case 'change-role': {
      const parsed = memberRoleForm.safeParse(form);
      if (!parsed.success) throw new Response(t('errors:staff.choosePersonAndRole'), { status: 400 });
      const result = await changeMemberRole(admin, parsed.data.userId, parsed.data.role, openRequestsDecision(form, townLinks(town.slug)));
      if (!result.ok) return refusal(result, town.name, t, { intent: 'change-role', userId: parsed.data.userId, role: parsed.data.role, allowKeep: true });
      return json<ActionData>({ message: t(`adminStaff.done.roleChanged.${parsed.data.role}`, { email: result.email }) + reassignedNote(t, result.reassigned) });
    }
    case 'remove': {
      const ref = z.object({ userId: z.string().uuid() }).safeParse(form);
      if (!ref.success) throw new Response(t('errors:staff.choosePerson'), { status: 400 });
      const result = await removeMember(admin, ref.data.userId, openRequestsDecision(form, townLinks(town.slug)));
      if (!result.ok) return refusal(result, town.name, t, { intent: 'remove', userId: ref.data.userId, role: null, allowKeep: false });
      // Removing yourself ends your access to this console.
      if (ref.data.userId === admin.user.id) return redirect('/');
      return json<ActionData>({ message: t('adminStaff.done.removed', { email: result.email, townName: town.name }) + reassignedNote(t, result.reassigned) });
    }
    default:
      throw new Response(t('errors:unknownAction'), { status: 400 });
  }
}

const reassignedNote = (t: TFunction, count: number) => (count > 0 ? t('adminStaff.reassigned', { count }) : '');

export default function AdminStaff() {
  const { t } = useTranslation();
  const { townName, timezone, members, invitations, currentUserId, now, validDays } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  return (
    <>
      <h1>{t('adminStaff.staff')}</h1>
      <p>{t('adminStaff.intro', { townName })}</p>
      <SuccessAlert message={actionData?.message} />
      <FormAlert message={actionData?.formError} />
      {actionData?.openRequests ? <OpenRequestsForm question={actionData.openRequests} members={members} busy={busy} /> : null}
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption>{t('adminStaff.tableCaption', { townName })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('adminStaff.person')}</th>
            <th scope="col">{t('adminStaff.since')}</th>
            <th scope="col">{t('adminStaff.role')}</th>
            <th scope="col">{t('adminStaff.access')}</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <th scope="row" data-label={t('adminStaff.person')}>
                {m.displayName ? `${m.displayName} ` : ''}
                <span className="text-base">{m.email}</span>
                {m.userId === currentUserId ? t('adminStaff.you') : ''}
              </th>
              <td data-label={t('adminStaff.since')}>
                <TownTime value={m.since} timeZone={timezone} />
              </td>
              <td data-label={t('adminStaff.role')}>
                <Form method="post" className="display-flex flex-align-end">
                  <input type="hidden" name="intent" value="change-role" />
                  <input type="hidden" name="userId" value={m.userId} />
                  <label className="usa-sr-only" htmlFor={`role-${m.userId}`}>{t('adminStaff.roleOfEmail', { email: m.email })}</label>
                  <select className="usa-select margin-top-0 width-auto" id={`role-${m.userId}`} name="role" defaultValue={m.role}>
                    <option value="staff">{t('adminStaff.roleName.staff')}</option>
                    <option value="admin">{t('adminStaff.roleName.admin')}</option>
                  </select>
                  <button type="submit" className="usa-button usa-button--unstyled margin-left-1" disabled={busy}><TransText t={t} i18nKey="adminStaff.changeTheRoleOfEmail" values={{ email: m.email }} components={{ span: <span className="usa-sr-only" /> }} /></button>
                </Form>
              </td>
              <td data-label={t('adminStaff.access')}>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="userId" value={m.userId} />
                  <button type="submit" className="usa-button usa-button--unstyled" disabled={busy}><TransText t={t} i18nKey="adminStaff.removeAccessOfEmail" values={{ email: m.email }} components={{ span: <span className="usa-sr-only" /> }} /></button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('adminStaff.invitationsWaiting')}</h2>
      {invitations.length === 0 ? (
        <p>{t('adminStaff.none')}</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption>{t('adminStaff.invitationsNotYetAccepted')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adminStaff.email')}</th>
              <th scope="col">{t('adminStaff.role')}</th>
              <th scope="col">{t('adminStaff.linkValidUntil')}</th>
              <th scope="col">{t('adminStaff.invitedBy')}</th>
              <th scope="col">{t('adminStaff.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <th scope="row" data-label={t('adminStaff.email')}>
                  {i.email}
                </th>
                <td data-label={t('adminStaff.role')}>{t(`adminStaff.roleName.${i.role}`)}</td>
                <td data-label={t('adminStaff.linkValidUntil')}>
                  <TownTime value={i.expiresAt} timeZone={timezone} />
                  {i.expiresAt <= now ? t('adminStaff.expiredInviteAgain') : ''}
                </td>
                <td data-label={t('adminStaff.invitedBy')}>{i.invitedBy ?? '—'}</td>
                <td data-label={t('adminStaff.actions')}>
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="id" value={i.id} />
                    <button type="submit" className="usa-button usa-button--unstyled" disabled={busy}><TransText t={t} i18nKey="adminStaff.withdrawTheInvitationToEmail" values={{ email: i.email }} components={{ span: <span className="usa-sr-only" /> }} /></button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="invite-heading">{t('adminStaff.inviteSomeone')}</h2>
      <p>{t('adminStaff.theyGetAnEmailWith', { validDays })}</p>
      <Form method="post" className="usa-form" noValidate aria-labelledby="invite-heading" key={`invite-${invitations.length}`}>
        <input type="hidden" name="intent" value="invite" />
        <TextField label={t('adminStaff.emailAddress')} name="email" type="email" autoComplete="off" required defaultValue={actionData?.values?.email} error={errors.email} />
        <fieldset className="usa-fieldset margin-top-3">
          <legend className="usa-legend">{t('adminStaff.role')}</legend>
          {errors.role ? (
            <span className="usa-error-message" role="alert">
              {errors.role}
            </span>
          ) : null}
          {(['staff', 'admin'] as const).map((role) => (
            <div className="usa-radio" key={role}>
              <input
                className="usa-radio__input"
                id={`invite-role-${role}`}
                type="radio"
                name="role"
                value={role}
                defaultChecked={(actionData?.values?.role ?? 'staff') === role}
              />
              <label className="usa-radio__label" htmlFor={`invite-role-${role}`}>
                {role === 'staff' ? t('adminStaff.staffWorksRequests') : t('adminStaff.administratorWorksRequestsAndConfigures')}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" className="usa-button" disabled={busy}>{t('adminStaff.sendInvitation')}</button>
      </Form>
    </>
  );
}

/**
 * Removing someone (or demoting an admin) who has open requests: where those go, answered in the
 * same form that makes the change, so both happen in one step. Works without JavaScript.
 */
function OpenRequestsForm({ question, members, busy }: { question: OpenRequestsQuestion; members: { userId: string; email: string; displayName: string | null }[]; busy: boolean }) {
  const { t } = useTranslation();
  const others = members.filter((m) => m.userId !== question.userId);
  const choices = [...(question.allowKeep ? (['keep'] as const) : []), 'person', 'department', 'unassigned'] as const;
  return (
    <section className="usa-alert usa-alert--warning margin-bottom-3" aria-labelledby="open-requests-heading">
      <div className="usa-alert__body">
        <h2 id="open-requests-heading" className="usa-alert__heading" tabIndex={-1}>{t('adminStaff.openRequests.heading', { email: question.email })}</h2>
        <p className="usa-alert__text">{t('adminStaff.openRequests.intro', { email: question.email, count: question.openRequests })}</p>
        <Form method="post" className="usa-form maxw-none">
          <input type="hidden" name="intent" value={question.intent} />
          <input type="hidden" name="userId" value={question.userId} />
          {question.role ? <input type="hidden" name="role" value={question.role} /> : null}
          <fieldset className="usa-fieldset">
            <legend className="usa-legend">{t('adminStaff.openRequests.legend')}</legend>
            {choices.map((choice, i) => (
              <div className="usa-radio bg-transparent" key={choice}>
                <input className="usa-radio__input" id={`open-requests-${choice}`} type="radio" name="openRequests" value={choice} defaultChecked={i === 0} />
                <label className="usa-radio__label" htmlFor={`open-requests-${choice}`}>
                  {t(`adminStaff.openRequests.${choice}`, { email: question.email })}
                </label>
              </div>
            ))}
          </fieldset>
          <label className="usa-label" htmlFor="reassign-to">{t('adminStaff.openRequests.personLabel')}</label>
          <select className="usa-select" id="reassign-to" name="reassignTo" defaultValue="">
            <option value="">{t('adminStaff.openRequests.choosePerson')}</option>
            {others.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.displayName ? `${m.displayName} (${m.email})` : m.email}
              </option>
            ))}
          </select>
          <button type="submit" className="usa-button margin-top-2" disabled={busy}>
            {question.intent === 'remove' ? t('adminStaff.openRequests.confirmRemove') : t('adminStaff.openRequests.confirmRole')}
          </button>
          <a href="/admin/staff" className="usa-button usa-button--unstyled margin-left-2">{t('adminStaff.openRequests.cancel')}</a>
        </Form>
      </div>
    </section>
  );
}
