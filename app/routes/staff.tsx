import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { listCategories } from '~/modules/categories/categories.server';
import { requireTownRole } from '~/utils/permissions.server';
import { requireTown } from '~/utils/town.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Staff console · ${data?.townName ?? ''}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const town = await requireTown(request);
  const { user, role } = await requireTownRole(request, town, 'staff');
  const categories = await listCategories(town.id);
  return json({ townName: town.name, role, staffName: user.displayName ?? user.email, categoryCount: categories.length });
}

export default function StaffConsole() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{data.townName} staff console</h1>
      <p>
        Signed in as {data.staffName} ({data.role === 'admin' ? 'town administrator' : 'staff'}).
      </p>
      <p>
        The request queue appears here once residents can report problems. {data.townName} accepts {data.categoryCount} categories of
        problem.
      </p>
    </>
  );
}
