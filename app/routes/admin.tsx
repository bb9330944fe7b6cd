import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { listCategories } from '~/modules/categories/categories.server';
import { GRANT_STATUS_LABEL, grantTermStatus } from '~/modules/towns/grant-term';
import { requireTownRole } from '~/utils/permissions.server';
import { requireTown } from '~/utils/town.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Town admin · ${data?.town.name ?? ''}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const town = await requireTown(request);
  await requireTownRole(request, town, 'admin');
  const categories = await listCategories(town.id, { activeOnly: false });
  return json({ town, categories, grant: grantTermStatus(town.grantStart, town.grantEnd) });
}

export default function TownAdmin() {
  const { town, categories, grant } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{town.name} administration</h1>
      <h2>Grant term</h2>
      <p>
        State-funded from {town.grantStart} to {town.grantEnd}: <strong>{GRANT_STATUS_LABEL[grant.status]}</strong>
        {grant.status === 'active' || grant.status === 'ending_soon' ? ` (${grant.daysLeft} days left)` : ''}.
      </p>
      <h2>Categories</h2>
      <table className="usa-table usa-table--borderless">
        <caption className="usa-sr-only">Categories residents can report in {town.name}</caption>
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Group</th>
            <th scope="col">Target (business days)</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {categories.map((c) => (
            <tr key={c.code}>
              <th scope="row">{c.name}</th>
              <td>{c.group}</td>
              <td>{c.targetDays}</td>
              <td>{c.active ? 'Active' : 'Inactive'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
