import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { listDevMailbox } from '~/modules/notifications/dev-mailbox.server';
import { searchParamsOf } from '~/utils/control-characters';
import { isDevMailboxEnabled } from '~/utils/email.server';
import { resolveSite } from '~/utils/town.server';
import { useTranslation } from 'react-i18next';
import { useIntlLocale } from '~/i18n/intl';
import { dateTimeFormat } from '~/utils/date-format';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('devMailbox.pageTitle') }];

/**
 * Every email the app would have sent, when no RESEND_API_KEY is set. It shows sign-in links,
 * so it exists only in demo mode, whatever NODE_ENV says.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  if (!isDevMailboxEnabled()) throw new Response((await requestT(request))('errors:notFound'), { status: 404 });
  const to = searchParamsOf(request).get('to')?.trim() || undefined;
  const messages = await listDevMailbox({ to });
  return json({ to: to ?? '', messages: messages.map((m) => ({ id: m.id, to: m.to, subject: m.subject, text: m.text, headers: m.headers, createdAt: m.createdAt })) });
}

function LinkifiedText({ text }: { text: string }) {
  return <>{text.split(/(https?:\/\/\S+)/g).map((part, i) => (i % 2 === 1 ? <a key={i} href={part}>{part}</a> : part))}</>;
}

export default function DevMailbox() {
  const { t } = useTranslation();
  // Boston time with seconds, as the dev mailbox has always shown it.
  const sentAt = dateTimeFormat(useIntlLocale(), { timeZone: 'America/New_York', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const { to, messages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('devMailbox.devMailbox')}</h1>
      <p>{t('devMailbox.emailIsNotConfiguredNo')}</p>
      <Form method="get" className="usa-search usa-search--small" role="search">
        <label className="usa-label" htmlFor="mailbox-to">{t('devMailbox.showMessagesTo')}</label>
        <input className="usa-input" id="mailbox-to" name="to" type="email" defaultValue={to} />
        <button className="usa-button" type="submit">{t('devMailbox.filter')}</button>
      </Form>
      {messages.length === 0 ? <p>{t('devMailbox.noMessagesYet')}</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="usa-summary-box margin-y-2" aria-labelledby={`mail-${m.id}`}>
          <div className="usa-summary-box__body">
            <h2 className="usa-summary-box__heading" id={`mail-${m.id}`}>
              {m.subject}
            </h2>
            <p>{t('devMailbox.recipientAndTime', { to: m.to, time: sentAt.format(new Date(m.createdAt)) })}</p>
            {Object.keys(m.headers).length > 0 ? (
              <dl className="cc-mail-headers">
                {Object.entries(m.headers).map(([name, value]) => (
                  <div key={name}>
                    <dt>{name}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
            <p style={{ whiteSpace: 'pre-wrap' }}>
              <LinkifiedText text={m.text} />
            </p>
          </div>
        </article>
      ))}
    </>
  );
}
