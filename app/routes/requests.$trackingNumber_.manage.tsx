import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert, SuccessAlert } from '~/components/form-field';
import { ReporterForms } from '~/components/resident-forms';
import { ExpectedBy } from '~/components/expected-by';
import { StatusTag } from '~/components/status-tag';
import { TownTime } from '~/components/town-time';
import { commentAsReporter, openManagedReport, reopenAsReporter, setFollowingByManageLink, withdrawAsReporter, type ReporterResult } from '~/modules/requests/reporter-actions.server';
import { COMMENT_UPLOAD_LIMITS, parseResidentComment, validateResidentComment, withdrawFields } from '~/modules/requests/reporter-forms.server';
import { searchParamsOf } from '~/utils/control-characters';
import { emailedLinkTarget } from '~/utils/emailed-link.server';
import { PRIVATE_NO_STORE } from '~/utils/edge-policy.server';
import { fieldErrorCodesOf, type FieldErrorCodes, type FieldErrors } from '~/utils/field-errors';
import { readUploadForm } from '~/utils/multipart.server';
import { siteOrigin, townLinks } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { wordFieldErrors } from '~/i18n/field-errors';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('requestManage.pageTitle') }, { name: 'robots', content: 'noindex' }];

// The link in the URL is the reporter's key: nothing along the way may keep a copy of the page.
export const headers: HeadersFunction = () => PRIVATE_NO_STORE;

const REFUSAL_STATUS = { not_found: 404, forbidden: 403, refused: 409 } as const;
const INTENTS = ['follow', 'unfollow', 'withdraw', 'reopen', 'comment'] as const;
type Intent = (typeof INTENTS)[number];
// What ?done= may name; the words are the catalogue's requestManage.done.*.
const DONE = INTENTS;

/**
 * An email-only reporter's own page for their report (docs/decisions/0021), reached through the
 * private link in their confirmation email: withdraw, follow or stop following, add a comment or a
 * photo, reopen a close within 30 days. No account needed; the link is the key, for this request only.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { town, trackingNumber } = await emailedLinkTarget(args);
  const search = searchParamsOf(args.request);
  const token = search.get('token') ?? '';
  const opened = await openManagedReport(town.id, trackingNumber, token);
  if (!opened.ok) {
    const t = await requestT(args.request);
    return json({ problem: t(`errors:${opened.code}`, { trackingNumber }), town: null, token: '', report: null, done: null, confirmingWithdraw: false }, { status: REFUSAL_STATUS[opened.reason], headers: PRIVATE_NO_STORE });
  }
  if (opened.transferredTo) {
    const { townSlug, trackingNumber: moved } = opened.transferredTo;
    throw redirect(`${siteOrigin(townSlug)}/requests/${moved}/manage?${new URLSearchParams({ token })}`, { status: 301, headers: PRIVATE_NO_STORE });
  }
  const { report } = opened;
  const done = search.get('done');
  return json({
    problem: null,
    town: { name: town.name, timezone: town.timezone },
    token,
    report,
    done: DONE.find((d) => d === done) ?? null,
    confirmingWithdraw: report.options.withdraw && search.get('withdraw') === 'confirm',
  }, { headers: PRIVATE_NO_STORE });
}

type ActionData = { intent: Intent | null; error: string | null; fieldErrors: FieldErrors; values: Record<string, string> };

export async function action(args: ActionFunctionArgs) {
  const { town, trackingNumber } = await emailedLinkTarget(args);
  const t = await requestT(args.request);
  const form = await readUploadForm(args.request, COMMENT_UPLOAD_LIMITS);
  const values = Object.fromEntries(form.fields);
  const token = values.token ?? '';
  const intent = z.enum(INTENTS).safeParse(values.intent);
  const reply = (status: number, data: Partial<Omit<ActionData, 'intent' | 'values'>>) =>
    // The token is the page's own key; it is not sent back as a "value".
    json<ActionData>({ intent: intent.success ? intent.data : null, error: null, fieldErrors: {}, values: { ...values, token: '' }, ...data }, { status });
  const invalid = (errors: FieldErrorCodes) => reply(422, { fieldErrors: wordFieldErrors(t, errors), error: t('errors:correctMarkedFields') });
  if (!intent.success) return reply(400, { error: t('errors:unknownActionOnPage') });
  const credential = { kind: 'manage_link', token } as const;
  const links = townLinks(town.slug);
  let result: ReporterResult;
  switch (intent.data) {
    case 'follow':
    case 'unfollow':
      result = await setFollowingByManageLink(token, town.id, trackingNumber, intent.data === 'follow');
      break;
    case 'withdraw': {
      const parsed = withdrawFields.safeParse(values);
      if (!parsed.success) return invalid(fieldErrorCodesOf(parsed.error.issues));
      result = await withdrawAsReporter(credential, town.id, trackingNumber, parsed.data.reason, links);
      break;
    }
    case 'reopen': {
      const parsed = parseResidentComment(values);
      if (!parsed.ok) return invalid(parsed.errors);
      result = await reopenAsReporter(credential, town.id, trackingNumber, parsed.comment, links);
      break;
    }
    case 'comment': {
      const validated = await validateResidentComment(form);
      if (!validated.ok) return invalid(validated.errors);
      result = await commentAsReporter(credential, town.id, trackingNumber, validated.comment);
      break;
    }
  }
  if (!result.ok) return reply(REFUSAL_STATUS[result.reason], { error: t(`errors:${result.code}`, { trackingNumber, ...result.values }) });
  return redirect(`/requests/${trackingNumber}/manage?${new URLSearchParams({ token, done: intent.data })}`);
}

export default function ManageReport() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!data.report || !data.town) {
    return (
      <>
        <h1>{t('requestManage.linkDoesNotWork')}</h1>
        <FormAlert message={data.problem} />
        <p>
          <TransText t={t} i18nKey="requestManage.createAnAccount" components={{ a: <Link to="/signup" /> }} />
        </p>
      </>
    );
  }
  const { town, token, report, done, confirmingWithdraw } = data;
  const base = `/requests/${report.trackingNumber}/manage?${new URLSearchParams({ token })}`;
  const formFor = (intent: Intent) => (actionData?.intent === intent ? { errors: actionData.fieldErrors, values: actionData.values, token } : { token });
  const withdrawn = report.status === 'withdrawn';
  return (
    <>
      <SuccessAlert message={done ? t(`requestManage.done.${done}`, { email: report.email, trackingNumber: report.trackingNumber }) : null} />
      <FormAlert message={actionData?.error} />
      <h1>{t('requestManage.yourReport', { trackingNumber: report.trackingNumber })}</h1>
      <p>
        <StatusTag status={report.status} />{' '}
        <TransText
          t={t}
          i18nKey="requestManage.reportedAt"
          values={{ categoryName: report.categoryName, townName: town.name }}
          components={{ time: <TownTime value={report.createdAt} timeZone={town.timezone} /> }}
        />{' '}
        <ExpectedBy expectation={report.expectation} townName={town.name} timeZone={town.timezone} />
      </p>
      <p style={{ whiteSpace: 'pre-wrap' }}>{report.description}</p>
      {withdrawn ? (
        <p>{t('requestManage.withdrawnExplained')}</p>
      ) : (
        <p>
          <Link to={`/requests/${report.trackingNumber}`}>{t('requestManage.seeThePublicPage', { trackingNumber: report.trackingNumber })}</Link>
        </p>
      )}

      <ReporterForms
        options={report.options}
        town={town}
        trackingNumber={report.trackingNumber}
        confirmingWithdraw={confirmingWithdraw}
        withdrawTo={`${base}&withdraw=confirm#withdraw-heading`}
        cancelTo={base}
        formFor={formFor}
      />

      {withdrawn ? null : (
        <section aria-labelledby="emails-heading">
          <h2 id="emails-heading">{t('requestManage.emails')}</h2>
          <p>{report.following ? t('requestManage.youGetEmails', { email: report.email }) : t('requestManage.youGetNoEmails', { email: report.email })}</p>
          <Form method="post">
            <input type="hidden" name="token" value={token} />
            <button className={`usa-button${report.following ? ' usa-button--outline' : ''}`} type="submit" name="intent" value={report.following ? 'unfollow' : 'follow'}>
              {report.following ? t('requestManage.stopEmails') : t('requestManage.startEmails')}
            </button>
          </Form>
        </section>
      )}

      <h2>{t('requestManage.aboutThisPage')}</h2>
      <p>
        <TransText t={t} i18nKey="requestManage.privateLink" values={{ email: report.email }} components={{ a: <Link to="/signup" /> }} />
      </p>
    </>
  );
}
