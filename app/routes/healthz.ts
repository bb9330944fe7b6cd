import { sql } from 'drizzle-orm';
import { READ_ONLY, withGlobal } from '#db/scope';

/** For load balancers: the process is up and can reach its database. */
export async function loader() {
  await withGlobal((tx) => tx.execute(sql`select 1`), READ_ONLY);
  return new Response('ok', { headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' } });
}
