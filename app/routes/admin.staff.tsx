import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { TownTime } from '~/components/town-time';
import { fieldErrorsOf, type FieldErrors } from '~/modules/accounts/account-forms';
import { invitationForm, memberRoleForm } from '~/modules/admin/admin-forms';
import { INVITATION_VALID_DAYS, inviteStaff, listPendingInvitations, revokeInvitation } from '~/modules/admin/invitations.server';
import { changeMemberRole, listTownMembers, removeMember, type MemberChangeResult } from '~/modules/admin/members.server';
import { requireTownRole } from '~/utils/permissions.server';
import { siteOrigin } from '~/utils/town.server';

export const meta: MetaFunction = () => [{ title: 'Staff · Town admin' }];

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

const ROLE_LABEL = { staff: 'Staff', admin: 'Administrator' } as const;

type ActionData = { errors?: FieldErrors; values?: Record<string, string>; formError?: string; message?: string };

function refusal(result: Exclude<MemberChangeResult, { ok: true }>, townName: string): Response {
  if (result.reason === 'not_member') throw new Response('This person has no access to this town.', { status: 404 });
  const who = result.self ? 'You are' : 'This person is';
  return json<ActionData>({ formError: `${who} the only administrator of ${townName}. Make someone else an administrator first.` }, { status: 409 });
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  switch (form.intent) {
    case 'invite': {
      const parsed = invitationForm.safeParse(form);
      if (!parsed.success) return json<ActionData>({ errors: fieldErrorsOf(parsed.error), values: form }, { status: 422 });
      const origin = siteOrigin(town.slug);
      const result = await inviteStaff(admin, { ...parsed.data, acceptUrl: (token) => `${origin}/invitations/${token}` });
      if (!result.ok) {
        const errors = { email: `${parsed.data.email} already has ${ROLE_LABEL[result.role].toLowerCase()} access to ${town.name}; change their role in the list above.` };
        return json<ActionData>({ errors, values: form }, { status: 422 });
      }
      return json<ActionData>({ message: `Invitation sent to ${parsed.data.email}. The link works once, for ${INVITATION_VALID_DAYS} days.` });
    }
    case 'revoke': {
      const ref = z.object({ id: z.string().uuid() }).safeParse(form);
      if (!ref.success || !(await revokeInvitation(admin, ref.data.id))) throw new Response('No such invitation', { status: 404 });
      return json<ActionData>({ message: 'Invitation withdrawn; its link no longer works.' });
    }
    case 'change-role': {
      const parsed = memberRoleForm.safeParse(form);
      if (!parsed.success) throw new Response('Choose a person and a role', { status: 400 });
      const result = await changeMemberRole(admin, parsed.data.userId, parsed.data.role);
      if (!result.ok) return refusal(result, town.name);
      return json<ActionData>({ message: `${result.email} is now ${parsed.data.role === 'admin' ? 'an administrator' : 'staff'}.` });
    }
    case 'remove': {
      const ref = z.object({ userId: z.string().uuid() }).safeParse(form);
      if (!ref.success) throw new Response('Choose a person', { status: 400 });
      const result = await removeMember(admin, ref.data.userId);
      if (!result.ok) return refusal(result, town.name);
      // Removing yourself ends your access to this console.
      if (ref.data.userId === admin.user.id) return redirect('/');
      return json<ActionData>({ message: `${result.email} no longer has access to ${town.name}.` });
    }
    default:
      throw new Response('Unknown action', { status: 400 });
  }
}

export default function AdminStaff() {
  const { townName, timezone, members, invitations, currentUserId, now, validDays } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  return (
    <>
      <h1>Staff</h1>
      <p>
        People with access to {townName}&apos;s staff console. Administrators can also change these settings. Accounts are shared across
        towns: removing someone here does not affect their account or their access elsewhere.
      </p>
      <SuccessAlert message={actionData?.message} />
      <FormAlert message={actionData?.formError} />
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption>Staff and administrators of {townName}</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Since</th>
            <th scope="col">Role</th>
            <th scope="col">Access</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <th scope="row" data-label="Person">
                {m.displayName ? `${m.displayName} ` : ''}
                <span className="text-base">{m.email}</span>
                {m.userId === currentUserId ? ' (you)' : ''}
              </th>
              <td data-label="Since">
                <TownTime value={m.since} timeZone={timezone} />
              </td>
              <td data-label="Role">
                <Form method="post" className="display-flex flex-align-end">
                  <input type="hidden" name="intent" value="change-role" />
                  <input type="hidden" name="userId" value={m.userId} />
                  <label className="usa-sr-only" htmlFor={`role-${m.userId}`}>
                    Role of {m.email}
                  </label>
                  <select className="usa-select margin-top-0 width-auto" id={`role-${m.userId}`} name="role" defaultValue={m.role}>
                    <option value="staff">{ROLE_LABEL.staff}</option>
                    <option value="admin">{ROLE_LABEL.admin}</option>
                  </select>
                  <button type="submit" className="usa-button usa-button--unstyled margin-left-1" disabled={busy}>
                    Change<span className="usa-sr-only"> the role of {m.email}</span>
                  </button>
                </Form>
              </td>
              <td data-label="Access">
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="userId" value={m.userId} />
                  <button type="submit" className="usa-button usa-button--unstyled" disabled={busy}>
                    Remove access<span className="usa-sr-only"> of {m.email}</span>
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Invitations waiting</h2>
      {invitations.length === 0 ? (
        <p>None.</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption>Invitations not yet accepted</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Link valid until</th>
              <th scope="col">Invited by</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <th scope="row" data-label="Email">
                  {i.email}
                </th>
                <td data-label="Role">{ROLE_LABEL[i.role]}</td>
                <td data-label="Link valid until">
                  <TownTime value={i.expiresAt} timeZone={timezone} />
                  {i.expiresAt <= now ? ' (expired: invite again)' : ''}
                </td>
                <td data-label="Invited by">{i.invitedBy ?? '—'}</td>
                <td data-label="Actions">
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="id" value={i.id} />
                    <button type="submit" className="usa-button usa-button--unstyled" disabled={busy}>
                      Withdraw<span className="usa-sr-only"> the invitation to {i.email}</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="invite-heading">Invite someone</h2>
      <p>
        They get an email with a link that works once, for {validDays} days. They sign in with that email address, or create an account with
        it, and get the role you choose. Inviting the same address again replaces the earlier link.
      </p>
      <Form method="post" className="usa-form" noValidate aria-labelledby="invite-heading" key={`invite-${invitations.length}`}>
        <input type="hidden" name="intent" value="invite" />
        <TextField label="Email address" name="email" type="email" autoComplete="off" required defaultValue={actionData?.values?.email} error={errors.email} />
        <fieldset className="usa-fieldset margin-top-3">
          <legend className="usa-legend">Role</legend>
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
                {role === 'staff' ? 'Staff: works requests' : 'Administrator: works requests and configures the town'}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" className="usa-button" disabled={busy}>
          Send invitation
        </button>
      </Form>
    </>
  );
}
