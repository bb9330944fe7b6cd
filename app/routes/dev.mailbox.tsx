import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { listDevMailbox } from '~/modules/notifications/dev-mailbox.server';
import { searchParamsOf } from '~/utils/control-characters';
import { isDevMailboxEnabled } from '~/utils/email.server';
import { resolveSite } from '~/utils/town.server';

export const meta: MetaFunction = () => [{ title: 'Dev mailbox · Commonwealth Connect' }];

/**
 * Every email the app would have sent, when no RESEND_API_KEY is set. It shows sign-in links,
 * so it exists only in demo mode, whatever NODE_ENV says.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await resolveSite(args);
  if (!isDevMailboxEnabled()) throw new Response('Not found', { status: 404 });
  const to = searchParamsOf(request).get('to')?.trim() || undefined;
  const messages = await listDevMailbox({ to });
  return json({ to: to ?? '', messages: messages.map((m) => ({ id: m.id, to: m.to, subject: m.subject, text: m.text, createdAt: m.createdAt })) });
}

function LinkifiedText({ text }: { text: string }) {
  return <>{text.split(/(https?:\/\/\S+)/g).map((part, i) => (i % 2 === 1 ? <a key={i} href={part}>{part}</a> : part))}</>;
}

export default function DevMailbox() {
  const { to, messages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Dev mailbox</h1>
      <p>Email is not configured (no RESEND_API_KEY), so messages land here instead of being sent. Newest first.</p>
      <Form method="get" className="usa-search usa-search--small" role="search">
        <label className="usa-label" htmlFor="mailbox-to">
          Show messages to
        </label>
        <input className="usa-input" id="mailbox-to" name="to" type="email" defaultValue={to} />
        <button className="usa-button" type="submit">
          Filter
        </button>
      </Form>
      {messages.length === 0 ? <p>No messages yet.</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="usa-summary-box margin-y-2" aria-labelledby={`mail-${m.id}`}>
          <div className="usa-summary-box__body">
            <h2 className="usa-summary-box__heading" id={`mail-${m.id}`}>
              {m.subject}
            </h2>
            <p>
              To {m.to} · {new Date(m.createdAt).toLocaleString('en-US', { timeZone: 'America/New_York' })}
            </p>
            <p style={{ whiteSpace: 'pre-wrap' }}>
              <LinkifiedText text={m.text} />
            </p>
          </div>
        </article>
      ))}
    </>
  );
}
