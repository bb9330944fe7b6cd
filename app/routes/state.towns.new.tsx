import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert, SelectField, TextField } from '~/components/form-field';
import { outlineOf } from '~/modules/geo/geometry';
import { findMunicipality } from '~/modules/geo/municipalities.server';
import { dayIn } from '~/utils/calendar-day';
import { newTownForm } from '~/modules/towns/onboarding-form';
import { listMunicipalityChoices, onboardTown } from '~/modules/towns/onboarding.server';
import { searchParamsOf } from '~/utils/control-characters';
import { getEnv } from '~/utils/env.server';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite, siteOrigin } from '~/utils/town.server';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { useTranslation } from 'react-i18next';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('stateTownsNew.pageTitle') }];

/** Massachusetts has one time zone; the field exists for the registry's sake and says so. */
const TIME_ZONES = ['America/New_York'];

export async function loader(args: LoaderFunctionArgs) {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const municipalities = await listMunicipalityChoices(stateStaff);
  const picked = z.coerce.number().int().safeParse(searchParamsOf(args.request).get('municipality') ?? undefined);
  const chosen = picked.success ? municipalities.find((m) => m.townId === picked.data && !m.participating) : undefined;
  const geometry = chosen ? findMunicipality(chosen.townId)!.geometry : null;
  return json({
    municipalities,
    chosen: chosen ?? null,
    outline: geometry ? outlineOf([geometry], 320) : null,
    suggested: chosen ? { slug: chosen.slug, trackingCode: chosen.name.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase() } : null,
    today: dayIn(new Date(), 'America/New_York'),
    rootDomain: getEnv().ROOT_DOMAIN,
  });
}

type ActionData = { errors: FieldErrors; values: Record<string, string> };

export async function action(args: ActionFunctionArgs) {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const t = await requestT(args.request);
  const values = Object.fromEntries(await args.request.formData()) as Record<string, string>;
  const parsed = newTownForm.safeParse(values);
  if (!parsed.success) return json<ActionData>({ errors: wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues)), values }, { status: 422 });
  const result = await onboardTown(stateStaff, parsed.data, { acceptUrl: (slug, token) => `${siteOrigin(slug)}/invitations/${token}` });
  if (!result.ok) return json<ActionData>({ errors: wordFieldErrors(t, result.errors), values }, { status: 422 });
  return redirect(`/state/towns/${result.slug}/onboarding?added=1`);
}

export default function AddTown() {
  const { t } = useTranslation();
  const { municipalities, chosen, outline, suggested, today, rootDomain } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const value = (name: string, fallback = '') => values[name] ?? fallback;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <>
      <p>
        <Link to="/state">{t('stateTownsNew.backToConsole')}</Link>
      </p>
      <h1>{t('stateTownsNew.addATown')}</h1>
      <p>{t('stateTownsNew.intro')}</p>
      <Form method="get" className="usa-form usa-form--large">
        <SelectField
          label={t('stateTownsNew.municipality')}
          name="municipality"
          hint={t('stateTownsNew.municipalityHint')}
          defaultValue={chosen ? String(chosen.townId) : ''}
          options={[
            { value: '', label: t('stateTownsNew.chooseMunicipality') },
            ...municipalities.map((m) => ({
              value: String(m.townId),
              label: m.participating ? t('stateTownsNew.municipalityParticipating', { name: m.name, county: m.county }) : t('stateTownsNew.municipalityOption', { name: m.name, county: m.county }),
            })),
          ]}
        />
        <button type="submit" className="usa-button usa-button--outline">
          {t('stateTownsNew.showBoundary')}
        </button>
      </Form>
      {errors.form || errors.municipality ? <FormAlert message={errors.form ?? errors.municipality} /> : null}
      {chosen && outline && suggested ? (
        <>
          <h2>{t('stateTownsNew.nameBoundary', { name: chosen.name })}</h2>
          <figure className="margin-x-0">
            <svg role="img" aria-labelledby="boundary-title" viewBox={outline.viewBox} width={outline.width} height={outline.height} fillRule="evenodd">
              <title id="boundary-title">{t('stateTownsNew.boundaryOf', { name: chosen.name, county: chosen.county })}</title>
              <path d={outline.paths[0]} fill="#d9e8f6" stroke="#005ea2" strokeWidth={1.5} />
            </svg>
            <figcaption>{t('stateTownsNew.boundarySource')}</figcaption>
          </figure>
          {hasErrors ? <FormAlert message={t('stateTownsNew.correctTheFields')} /> : null}
          <Form method="post" className="usa-form usa-form--large" noValidate>
            <input type="hidden" name="municipality" value={chosen.townId} />
            <TextField label={t('stateTownsNew.slug')} name="slug" hint={t('stateTownsNew.slugHint', { rootDomain })} defaultValue={value('slug', suggested.slug)} error={errors.slug} required />
            <TextField
              label={t('stateTownsNew.trackingCode')}
              name="trackingCode"
              hint={t('stateTownsNew.trackingCodeHint')}
              defaultValue={value('trackingCode', suggested.trackingCode)}
              error={errors.trackingCode}
              maxLength={4}
              required
            />
            <TextField label={t('stateTownsNew.cohort')} name="cohort" hint={t('stateTownsNew.cohortHint')} defaultValue={value('cohort')} error={errors.cohort} required />
            <SelectField
              label={t('stateTownsNew.timezone')}
              name="timezone"
              hint={t('stateTownsNew.timezoneHint')}
              defaultValue={value('timezone', TIME_ZONES[0])}
              error={errors.timezone}
              options={TIME_ZONES.map((zone) => ({ value: zone, label: zone }))}
            />
            <TextField label={t('stateTownsNew.grantStart')} name="grantStart" type="date" hint={t('stateTownsNew.dateHint')} defaultValue={value('grantStart', today)} error={errors.grantStart} required />
            <TextField label={t('stateTownsNew.grantEnd')} name="grantEnd" type="date" hint={t('stateTownsNew.grantEndHint')} defaultValue={value('grantEnd')} error={errors.grantEnd} />
            <TextField label={t('stateTownsNew.adminEmail')} name="adminEmail" type="email" autoComplete="off" hint={t('stateTownsNew.adminEmailHint')} defaultValue={value('adminEmail')} error={errors.adminEmail} required />
            <button type="submit" className="usa-button" disabled={busy}>
              {busy ? t('stateTownsNew.adding') : t('stateTownsNew.addTownAndInvite', { name: chosen.name })}
            </button>
          </Form>
        </>
      ) : null}
    </>
  );
}
