import { action as followAction, loader as followLoader } from '~/routes/follow';
import { browserRequest, mailboxFor } from './factories';
import { settle } from './requests';

const ctx = { clientIp: '10.9.9.9' };

/** The first link in an email's text whose path starts with `path` (`/follow`, `/requests/SOM-1001/manage`). */
export function linkIn(message: { text: string }, path: string): URL {
  const link = message.text.match(/https?:\/\/\S+/g)?.map((l) => new URL(l)).find((url) => url.pathname.startsWith(path));
  if (!link) throw new Error(`no ${path} link in: ${message.text}`);
  return link;
}

/** The latest email to `to` whose subject is `subject`, after delivering the outbox. */
export async function latestMail(to: string, subject: string | RegExp) {
  const mail = (await mailboxFor(to)).filter((m) => (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject))).pop();
  if (!mail) throw new Error(`no email "${subject}" to ${to}`);
  return mail;
}

/** As the recipient of a follow confirmation does: open the link (which only asks), press its button. */
export async function followThroughEmail(email: string, trackingNumber: string): Promise<Response> {
  const link = linkIn(await latestMail(email, `Confirm: follow ${trackingNumber}`), '/follow');
  const opened = await followLoader({ request: new Request(link), params: {}, context: ctx });
  expect(opened.status).toBe(200);
  return settle(followAction({ request: browserRequest(`${link.origin}/follow`, { form: { token: link.searchParams.get('token')! } }), params: {}, context: ctx }));
}
