import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { FormAlert, SuccessAlert, TextField } from '~/components/form-field';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { PROFILE_MESSAGE_MAX, profileForm } from '~/modules/admin/admin-forms';
import { MIN_TEXT_CONTRAST } from '~/modules/admin/contrast';
import { LOGO_MAX_BYTES, updateTownProfile } from '~/modules/admin/profile.server';
import { readUploadForm, UNREADABLE_FILE_MESSAGE } from '~/utils/multipart.server';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminProfile.pageTitle') }];

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
  if (!parsed.success) return json<ActionData>({ errors: wordFieldErrors(await requestT(request), fieldErrorCodesOf(parsed.error.issues)), values }, { status: 422 });
  const result = await updateTownProfile(admin, { profile: parsed.data, logo: files[0] ?? null });
  if (!result.ok) return json<ActionData>({ errors: wordFieldErrors(await requestT(request), result.errors), values }, { status: result.status });
  return json<ActionData>({ message: (await requestT(request))(result.changed ? 'adminProfile.done.saved' : 'adminProfile.done.unchanged') });
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
  const { t } = useTranslation();
  const { town, logoMaxKb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  const failed = Object.keys(errors).length > 0;
  const v = failed ? (actionData?.values ?? {}) : {};
  return (
    <>
      <h1>{t('adminProfile.townProfile')}</h1>
      <p>{t('adminProfile.whatResidentsSeeOnName', { name: town.name })}</p>
      <SuccessAlert message={actionData?.message} />
      <FormAlert message={failed ? t('adminProfile.pleaseCorrectTheFieldsMarked') : null} />
      <Form method="post" encType="multipart/form-data" className="usa-form usa-form--large" noValidate>
        <fieldset className="usa-fieldset">
          <legend className="usa-legend usa-legend--large">{t('adminProfile.publicContact')}</legend>
          <p className="usa-hint">{t('adminProfile.shownOnTheHomePage')}</p>
          <TextField label={t('adminProfile.phone')} name="phone" type="tel" autoComplete="off" defaultValue={v.phone ?? town.contact.phone ?? ''} error={errors.phone} hint={t('adminProfile.forExample6175550100')} />
          <TextField label={t('adminProfile.email')} name="email" type="email" autoComplete="off" defaultValue={v.email ?? town.contact.email ?? ''} error={errors.email} />
          <TextField label={t('adminProfile.website')} name="website" type="url" autoComplete="off" defaultValue={v.website ?? town.contact.website ?? ''} error={errors.website} hint={t('adminProfile.theFullAddressStartingWith')} />
        </fieldset>

        <fieldset className="usa-fieldset margin-top-4">
          <legend className="usa-legend usa-legend--large">{t('adminProfile.look')}</legend>
          <TextField
            label={t('adminProfile.accentColour')}
            name="accentColor"
            required
            maxLength={7}
            pattern="#[0-9a-fA-F]{6}"
            defaultValue={v.accentColor ?? town.accentColor}
            error={errors.accentColor}
            hint={t('adminProfile.andSixHexadecimalDigitsLike', { MIN_TEXT_CONTRAST })}
          />
          <div className={`usa-form-group${errors.logo ? ' usa-form-group--error' : ''}`}>
            <label className={`usa-label${errors.logo ? ' usa-label--error' : ''}`} htmlFor="field-logo">{t('adminProfile.logoOrSealOptional')}</label>
            <div className="usa-hint" id="field-logo-hint">{t('adminProfile.aJpegPngWebpOr', { logoMaxKb })}</div>
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
              <p>{t('adminProfile.currentLogo')}<img src={town.logoUrl} alt={t('adminProfile.nameLogo', { name: town.name })} height={48} style={{ background: town.accentColor, padding: '0.25rem', verticalAlign: 'middle' }} />
              </p>
              <div className="usa-checkbox">
                <input className="usa-checkbox__input" id="field-removeLogo" type="checkbox" name="removeLogo" />
                <label className="usa-checkbox__label" htmlFor="field-removeLogo">{t('adminProfile.removeTheLogo')}</label>
              </div>
            </>
          ) : null}
        </fieldset>

        <fieldset className="usa-fieldset margin-top-4">
          <legend className="usa-legend usa-legend--large">{t('adminProfile.messages')}</legend>
          <TextArea
            name="welcomeMessage"
            label={t('adminProfile.welcomeMessageOptional')}
            hint={t('adminProfile.welcomeMessageHint', { max: PROFILE_MESSAGE_MAX.welcomeMessage })}
            max={PROFILE_MESSAGE_MAX.welcomeMessage}
            value={v.welcomeMessage ?? town.welcomeMessage ?? ''}
            error={errors.welcomeMessage}
          />
          <TextArea
            name="bannerMessage"
            label={t('adminProfile.bannerOptional')}
            hint={t('adminProfile.aShortNoticeAtThe', { max: PROFILE_MESSAGE_MAX.bannerMessage })}
            max={PROFILE_MESSAGE_MAX.bannerMessage}
            value={v.bannerMessage ?? town.bannerMessage ?? ''}
            error={errors.bannerMessage}
          />
        </fieldset>
        <button type="submit" className="usa-button margin-top-3" disabled={busy}>
          {busy ? t('adminProfile.saving') : t('adminProfile.saveProfile')}
        </button>
      </Form>
    </>
  );
}
