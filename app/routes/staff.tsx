import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { requireTownRole } from '~/utils/permissions.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Staff console · ${data?.townName ?? ''}` }];

// Remix runs the child routes' loaders in parallel with this one, so each child checks the role itself.
export async function loader(args: LoaderFunctionArgs) {
  const { town, user, role } = await requireTownRole(args, 'staff');
  return json({ townName: town.name, role, staffName: user.displayName ?? user.email });
}

export default function StaffConsole() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{data.townName} staff console</h1>
      <p>
        Signed in as {data.staffName} ({data.role === 'admin' ? 'town administrator' : 'staff'}).
      </p>
      <nav aria-label="Staff console">
        <ul className="usa-button-group">
          <li className="usa-button-group__item">
            <NavLink to="/staff" end className={({ isActive }) => `usa-button${isActive ? '' : ' usa-button--outline'}`}>
              Queue
            </NavLink>
          </li>
          <li className="usa-button-group__item">
            <NavLink to="/staff/templates" className={({ isActive }) => `usa-button${isActive ? '' : ' usa-button--outline'}`}>
              Templates
            </NavLink>
          </li>
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
