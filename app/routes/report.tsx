import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { groupCategories, listCategories } from '~/modules/categories/categories.server';
import { requireTown } from '~/utils/town.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Report a problem · ${data?.townName ?? 'Commonwealth Connect'}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const town = await requireTown(request);
  return json({ townName: town.name, groups: groupCategories(await listCategories(town.id)) });
}

export default function Report() {
  const { townName, groups } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Report a problem in {townName}</h1>
      <div className="usa-alert usa-alert--info" role="status">
        <div className="usa-alert__body">
          <p className="usa-alert__text">
            Online reporting with photos and a map opens in the next release. Until then, please contact {townName} directly.
          </p>
        </div>
      </div>
      <h2>Problems {townName} handles</h2>
      {groups.map((g) => (
        <section key={g.group}>
          <h3>{g.group}</h3>
          <ul className="usa-list">
            {g.categories.map((c) => (
              <li key={c.code}>{c.name}</li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
