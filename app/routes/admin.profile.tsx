import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { fieldErrorsOf, type FieldErrors } from '~/modules/accounts/account-forms';
import { profileForm } from '~/modules/admin/admin-forms';
import { MIN_TEXT_CONTRAST } from '~/modules/admin/contrast';
import { LOGO_MAX_BYTES, updateTownProfile } from '~/modules/admin/profile.server';
import { readUploadForm, UNREADABLE_FILE_MESSAGE } from '~/utils/multipart.server';
import { requireTownRole } from '~/utils/permissions.server';

export const meta: MetaFunction = () => [{ title: 'Town profile · Town admin' }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  return json({
    town: {
      name: town.name,
      contact: town.contact,
      accentColor: town.accentColor,
      welcomeMessage: town.welcomeMessage,
      bannerMessage: town.bannerMessage,
      logoUrl: town.logoUrl,
    },
    // Constants of .server modules do not reach the browser bundle, so the page gets them here.
    logoMaxKb: Math.round(LOGO_MAX_BYTES / 1024),
  });
}

type ActionData = { errors?: FieldErrors; values?: Record<string, string>; message?: string };

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const { fields, files, unreadableParts } = await readUploadForm(request, { fileField: 'logo', maxFileBytes: LOGO_MAX_BYTES, maxFiles: 1 });
  const values = Object.fromEntries(fields);
  if (unreadableParts > 0) return json<ActionData>({ errors: { logo: UNREADABLE_FILE_MESSAGE }, values }, { status: 422 });
  const parsed = profileForm.safeParse(values);
  if (!parsed.success) return json<ActionData>({ errors: fieldErrorsOf(parsed.error), values }, { status: 422 });
  const result = await updateTownProfile(admin, { profile: parsed.data, logo: files[0] ?? null });
  if (!result.ok) return json<ActionData>({ errors: result.errors, values }, { status: result.status });
  return json<ActionData>({ message: result.changed ? 'Profile saved. Residents see the changes now.' : 'Nothing had changed.' });
}

function TextArea({ name, label, hint, max, value, error }: { name: string; label: string; hint: string; max: number; value: string; error?: string }) {
  const id = `field-${name}`;
  return (
    <div className={`usa-form-group${error ? ' usa-form-group--error' : ''}`}>
      <label className={`usa-label${error ? ' usa-label--error' : ''}`} htmlFor={id}>
        {label}
      </label>
      <div className="usa-hint" id={`${id}-hint`}>
        {hint}
      </div>
      {error ? (
        <span className="usa-error-message" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
      <textarea
        className={`usa-textarea${error ? ' usa-input--error' : ''}`}
        id={id}
        name={name}
        maxLength={max}
        rows={3}
        defaultValue={value}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}

export default function AdminProfile() {
  const { town, logoMaxKb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  const failed = Object.keys(errors).length > 0;
  const v = failed ? (actionData?.values ?? {}) : {};
  return (
    <>
      <h1>Town profile</h1>
      <p>What residents see on {town.name}&apos;s pages: contact details, colour, logo and messages.</p>
      <SuccessAlert message={actionData?.message} />
      <FormAlert message={failed ? 'Please correct the fields marked below. Nothing was saved.' : null} />
      <Form method="post" encType="multipart/form-data" className="usa-form usa-form--large" noValidate>
        <fieldset className="usa-fieldset">
          <legend className="usa-legend usa-legend--large">Public contact</legend>
          <p className="usa-hint">Shown on the home page. Leave a field empty to hide it.</p>
          <TextField label="Phone" name="phone" type="tel" autoComplete="off" defaultValue={v.phone ?? town.contact.phone ?? ''} error={errors.phone} hint="For example 617-555-0100 or 311." />
          <TextField label="Email" name="email" type="email" autoComplete="off" defaultValue={v.email ?? town.contact.email ?? ''} error={errors.email} />
          <TextField label="Website" name="website" type="url" autoComplete="off" defaultValue={v.website ?? town.contact.website ?? ''} error={errors.website} hint="The full address, starting with https://" />
        </fieldset>

        <fieldset className="usa-fieldset margin-top-4">
          <legend className="usa-legend usa-legend--large">Look</legend>
          <TextField
            label="Accent colour"
            name="accentColor"
            required
            maxLength={7}
            pattern="#[0-9a-fA-F]{6}"
            defaultValue={v.accentColor ?? town.accentColor}
            error={errors.accentColor}
            hint={`# and six hexadecimal digits, like #1a4480. The header shows white text on it, so the contrast must be at least ${MIN_TEXT_CONTRAST}:1.`}
          />
          <div className={`usa-form-group${errors.logo ? ' usa-form-group--error' : ''}`}>
            <label className={`usa-label${errors.logo ? ' usa-label--error' : ''}`} htmlFor="field-logo">
              Logo or seal (optional)
            </label>
            <div className="usa-hint" id="field-logo-hint">
              A JPEG, PNG, WebP or AVIF image up to {logoMaxKb} KB; it is shown in the header at about 48 pixels high.
            </div>
            {errors.logo ? (
              <span className="usa-error-message" id="field-logo-error" role="alert">
                {errors.logo}
              </span>
            ) : null}
            <input
              className="usa-input"
              id="field-logo"
              name="logo"
              type="file"
              accept="image/jpeg,image/png,image/webp,image/avif"
              aria-describedby={`field-logo-hint${errors.logo ? ' field-logo-error' : ''}`}
              aria-invalid={errors.logo ? true : undefined}
            />
          </div>
          {town.logoUrl ? (
            <>
              <p>
                Current logo: <img src={town.logoUrl} alt={`${town.name} logo`} height={48} style={{ background: town.accentColor, padding: '0.25rem', verticalAlign: 'middle' }} />
              </p>
              <div className="usa-checkbox">
                <input className="usa-checkbox__input" id="field-removeLogo" type="checkbox" name="removeLogo" />
                <label className="usa-checkbox__label" htmlFor="field-removeLogo">
                  Remove the logo
                </label>
              </div>
            </>
          ) : null}
        </fieldset>

        <fieldset className="usa-fieldset margin-top-4">
          <legend className="usa-legend usa-legend--large">Messages</legend>
          <TextArea
            name="welcomeMessage"
            label="Welcome message (optional)"
            hint="Shown on the home page under the introduction; at most 500 characters."
            max={500}
            value={v.welcomeMessage ?? town.welcomeMessage ?? ''}
            error={errors.welcomeMessage}
          />
          <TextArea
            name="bannerMessage"
            label="Banner (optional)"
            hint="A short notice at the top of every page, such as “Snow emergency: call 617-555-0100 for unplowed streets.” At most 300 characters; leave empty to remove it."
            max={300}
            value={v.bannerMessage ?? town.bannerMessage ?? ''}
            error={errors.bannerMessage}
          />
        </fieldset>
        <button type="submit" className="usa-button margin-top-3" disabled={busy}>
          {busy ? 'Saving…' : 'Save profile'}
        </button>
      </Form>
    </>
  );
}
