import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormAlert } from '~/components/form-field';
import { ReopenForm } from '~/components/resident-forms';
import { answerFixedCheck, inspectFixedCheck } from '~/modules/requests/fixed-checks.server';
import { parseResidentComment } from '~/modules/requests/reporter-forms.server';
import { searchParamsOf } from '~/utils/control-characters';
import { emailedLinkTarget } from '~/utils/emailed-link.server';
import { PRIVATE_NO_STORE } from '~/utils/edge-policy.server';
import type { FieldErrors } from '~/utils/field-errors';
import { townLinks } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { wordFieldErrors } from '~/i18n/field-errors';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('requestFixed.pageTitle') }, { name: 'robots', content: 'noindex' }];

export const headers: HeadersFunction = () => PRIVATE_NO_STORE;

const answerField = z.enum(['yes', 'no']);
const PROBLEM_STATUS = { 'fixedCheck.link.invalid': 400, 'fixedCheck.link.expired': 410, 'fixedCheck.link.used': 410, 'fixedCheck.notClosed': 409 } as const;

/**
 * The two buttons of the "is it fixed?" email lead here. Opening the page only asks again (a GET
 * changes nothing, so a link scanner answers nothing); its button POSTs the answer, once per link.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { town, trackingNumber } = await emailedLinkTarget(args);
  const search = searchParamsOf(args.request);
  const token = search.get('token') ?? '';
  const view = await inspectFixedCheck(town.id, trackingNumber, token);
  if (!view.ok) {
    const t = await requestT(args.request);
    return json({ problem: t(`errors:${view.code}`, { trackingNumber }), view: null, token: '', answer: 'no' as const, town: null }, { status: PROBLEM_STATUS[view.code], headers: PRIVATE_NO_STORE });
  }
  return json({ problem: null, view, token, answer: answerField.catch('no').parse(search.get('answer')), town: { name: town.name, timezone: town.timezone } }, { headers: PRIVATE_NO_STORE });
}

export async function action(args: ActionFunctionArgs) {
  const { town, trackingNumber } = await emailedLinkTarget(args);
  const t = await requestT(args.request);
  const values = Object.fromEntries([...(await args.request.formData())].map(([k, v]) => [k, String(v)]));
  const answer = answerField.safeParse(values.answer);
  if (!answer.success) return json({ error: t('errors:unknownActionOnPage'), fieldErrors: {} as FieldErrors, values }, { status: 400 });
  const parsed = answer.data === 'no' ? parseResidentComment(values) : ({ ok: true, comment: { text: null, public: false } } as const);
  if (!parsed.ok) return json({ error: t('errors:correctMarkedFields'), fieldErrors: wordFieldErrors(t, parsed.errors), values }, { status: 422 });
  const result = await answerFixedCheck(town.id, trackingNumber, values.token ?? '', answer.data, parsed.comment, townLinks(town.slug));
  if (!result.ok) return json({ error: t(`errors:${result.code}`, { trackingNumber }), fieldErrors: {} as FieldErrors, values }, { status: PROBLEM_STATUS[result.code] });
  return redirect(`/requests/${trackingNumber}?done=${answer.data === 'yes' ? 'confirmedFixed' : 'reopened'}`);
}

export default function FixedCheck() {
  const { t } = useTranslation();
  const { problem, view, token, answer, town } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!view || !town) {
    return (
      <>
        <h1>{t('requestFixed.linkDoesNotWork')}</h1>
        <FormAlert message={problem} />
      </>
    );
  }
  const other = `?${new URLSearchParams({ token, answer: answer === 'yes' ? 'no' : 'yes' })}`;
  return (
    <>
      <h1>{t('requestFixed.isItFixed', { trackingNumber: view.trackingNumber, categoryName: view.categoryName })}</h1>
      <p>{t('requestFixed.townSaysFixed', { townName: view.townName })}</p>
      <FormAlert message={actionData?.error} />
      {answer === 'yes' ? (
        <section aria-labelledby="yes-heading">
          <h2 id="yes-heading">{t('requestFixed.yesHeading')}</h2>
          <Form method="post">
            <input type="hidden" name="token" value={token} />
            <input type="hidden" name="answer" value="yes" />
            <button type="submit" className="usa-button">
              {t('requestFixed.confirmFixed')}
            </button>
          </Form>
        </section>
      ) : (
        <ReopenForm
          townName={town.name}
          timeZone={town.timezone}
          until={view.reopenUntil}
          heading={t('requestFixed.noHeading')}
          button={t('requestFixed.confirmNotFixed')}
          fields={{ answer: 'no' }}
          token={token}
          errors={actionData?.fieldErrors}
          values={actionData?.values}
        />
      )}
      <p className="margin-top-3">
        <Link to={other}>{answer === 'yes' ? t('requestFixed.noItIsNot') : t('requestFixed.yesItIs')}</Link>
      </p>
    </>
  );
}
