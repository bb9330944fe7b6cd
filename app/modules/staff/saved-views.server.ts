/**
 * Named queue views ("My overdue", "Unassigned potholes"): a staff member's own, or shared with the
 * town's staff. A view is the queue's URL query, so opening one is opening that URL.
 */
import { and, asc, desc, eq, or, sql } from 'drizzle-orm';
import { savedQueueViews, users } from '#db/schema';
import { isUuid, uuidv7 } from '#db/ids';
import { withTown, type Tx } from '#db/scope';
import { recordAuditBy } from '~/modules/audit/audit.server';
import type { TownStaff } from '~/utils/capabilities.server';
import type { FieldError } from '~/utils/field-errors';
import { queueSearchParams, type QueueFilters } from './queue.server';

export const SAVED_VIEW_NAME_MAX = 60;
/** A staff member's own views, and a town's shared ones, stop here: a list to choose from, not an archive. */
export const SAVED_VIEWS_MAX = 50;

/** Every failure here, as a path in the errors catalogue (`errors:savedView.…`). */
export const SAVED_VIEW_ERROR_CODES = ['savedView.name.required', 'savedView.name.too_long', 'savedView.tooMany', 'savedView.notFound', 'savedView.notAllowed'] as const;
type SavedViewError = FieldError & { code: (typeof SAVED_VIEW_ERROR_CODES)[number] };

export type SavedView = {
  id: string;
  name: string;
  /** The queue's search parameters, without a page. */
  query: string;
  shared: boolean;
  ownerName: string;
  /** The viewer's own (a shared one may be someone else's). */
  mine: boolean;
  /** Its creator may delete it; an admin may also delete a shared one. */
  canDelete: boolean;
};

const v = savedQueueViews;

/** The viewer's own views and the town's shared ones, own first, by name. Another staff member's personal views are never listed. */
export function selectSavedViews(tx: Tx, staff: TownStaff): Promise<SavedView[]> {
  const mine = sql<boolean>`${v.ownerUserId} = ${staff.user.id}`;
  return tx
    .select({
      id: v.id,
      name: v.name,
      query: v.query,
      shared: v.shared,
      ownerName: sql<string>`coalesce(${users.displayName}, ${users.email})`,
      mine,
      canDelete: staff.role === 'admin' ? sql<boolean>`(${mine} or ${v.shared})` : mine,
    })
    .from(v)
    .innerJoin(users, eq(users.id, v.ownerUserId))
    .where(or(eq(v.ownerUserId, staff.user.id), eq(v.shared, true)))
    .orderBy(desc(mine), sql`lower(${v.name})`, asc(v.id));
}

/** The search parameters a view keeps: everything that chooses and orders the requests, not the page. */
export function savedViewQuery(filters: QueueFilters): string {
  const params = queueSearchParams({ ...filters, page: 1 });
  return params.toString();
}

export type SaveViewResult = { ok: true; id: string } | { ok: false; error: SavedViewError };

/** Saves the view under `name`; saving again under a name the viewer already uses replaces that view. */
export async function saveView(staff: TownStaff, input: { name: string; filters: QueueFilters; shared: boolean }): Promise<SaveViewResult> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (!name) return { ok: false, error: { code: 'savedView.name.required' } };
  if (name.length > SAVED_VIEW_NAME_MAX) return { ok: false, error: { code: 'savedView.name.too_long', values: { max: SAVED_VIEW_NAME_MAX } } };
  const query = savedViewQuery(input.filters);
  return withTown(staff.town.id, async (tx) => {
    const [existing] = await tx
      .select({ id: v.id, query: v.query, shared: v.shared })
      .from(v)
      .where(and(eq(v.ownerUserId, staff.user.id), sql`lower(${v.name}) = lower(${name})`));
    if (existing) await tx.delete(v).where(eq(v.id, existing.id));
    else {
      const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(v).where(eq(v.ownerUserId, staff.user.id));
      if (n >= SAVED_VIEWS_MAX) return { ok: false, error: { code: 'savedView.tooMany', values: { max: SAVED_VIEWS_MAX } } };
    }
    const id = uuidv7();
    await tx.insert(v).values({ townId: staff.town.id, id, ownerUserId: staff.user.id, name, query, shared: input.shared });
    await recordAuditBy(tx, staff, {
      action: existing ? 'saved_view.replaced' : 'saved_view.created',
      entityType: 'saved_view',
      entityId: name,
      before: existing ? { query: existing.query, shared: existing.shared } : null,
      after: { query, shared: input.shared },
    });
    return { ok: true, id };
  });
}

export type DeleteViewResult = { ok: true; name: string } | { ok: false; error: SavedViewError };

/** Its creator deletes a view; a town admin may also delete a shared one. */
export async function deleteView(staff: TownStaff, id: string): Promise<DeleteViewResult> {
  if (!isUuid(id)) return { ok: false, error: { code: 'savedView.notFound' } };
  return withTown(staff.town.id, async (tx) => {
    const [view] = await tx.select().from(v).where(eq(v.id, id));
    const mine = view?.ownerUserId === staff.user.id;
    // Someone else's personal view is as good as absent: its existence is not told.
    if (!view || (!mine && !view.shared)) return { ok: false, error: { code: 'savedView.notFound' } };
    if (!mine && staff.role !== 'admin') return { ok: false, error: { code: 'savedView.notAllowed' } };
    await tx.delete(v).where(eq(v.id, id));
    await recordAuditBy(tx, staff, { action: 'saved_view.deleted', entityType: 'saved_view', entityId: view.name, before: { query: view.query, shared: view.shared }, after: null });
    return { ok: true, name: view.name };
  });
}
