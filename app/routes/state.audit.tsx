import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { TownTime } from '~/components/town-time';
import { listStatewideAuditLog } from '~/modules/audit/audit.server';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite } from '~/utils/town.server';

export const meta: MetaFunction = () => [{ title: 'Audit log, all towns · Commonwealth Connect' }];

const PAGE_SIZE = 50;

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const page = z.coerce.number().int().min(1).max(10_000).catch(1).parse(new URL(request.url).searchParams.get('page') ?? 1);
  const entries = await listStatewideAuditLog(stateStaff, { page, pageSize: PAGE_SIZE });
  return json({ page, entries, hasMore: entries.length === PAGE_SIZE });
}

export default function StatewideAuditLog() {
  const { page, entries, hasMore } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Audit log: every town</h1>
      <p>Every action of town staff and administrators, newest first.</p>
      <table className="usa-table usa-table--borderless usa-table--stacked">
        <caption className="usa-sr-only">Audit log entries</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Town</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <TownTime value={e.createdAt} timeZone="America/New_York" />
              </td>
              <td>{e.townName}</td>
              <td>{e.actorEmail ?? 'system'}</td>
              <td>
                {e.action} {e.entityType} {e.entityId}
              </td>
              <td>
                <code>{JSON.stringify(e.before ?? null)}</code> → <code>{JSON.stringify(e.after ?? null)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label="Pages">
        {page > 1 ? <Link to={`?page=${page - 1}`}>Newer entries</Link> : null} {hasMore ? <Link to={`?page=${page + 1}`}>Older entries</Link> : null}
      </nav>
    </>
  );
}
