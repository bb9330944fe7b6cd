import { and, count, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { isUniqueViolation } from '#db/errors';
import { departments, memberships, serviceRequests, towns } from '#db/schema';
import { enterTown, withProgramAdministration, withStateOversight, withTown, type Tx } from '#db/scope';
import { recordAudit, recordAuditBy } from '~/modules/audit/audit.server';
import { createInvitation } from '~/modules/admin/invitations.server';
import { findMunicipality, listMunicipalities, type Municipality } from '~/modules/geo/municipalities.server';
import type { StateStaff, TownAdmin } from '~/utils/capabilities.server';
import type { FieldErrorCodes } from '~/utils/field-errors';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import { listTowns, type TownProfile } from '~/utils/town-profile.server';
import type { NewTownInput, TownOnboardingErrorCode } from './onboarding-form';
import { loadDefaultCategories, grantEndDate } from './registry.server';
import { insertRegistryCategories } from './tenant-sync.server';

/** A new town's accent until its admin picks one: USWDS primary, which passes the contrast check. */
export const DEFAULT_ACCENT_COLOR = '#005ea2';

export type MunicipalityChoice = Pick<Municipality, 'townId' | 'slug' | 'name' | 'county' | 'type'> & { participating: boolean };

/** The 351 municipalities for the "add a town" picker, marking those already in the program. */
export async function listMunicipalityChoices(_stateStaff: StateStaff): Promise<MunicipalityChoice[]> {
  const participating = new Set((await listTowns()).map((t) => t.id));
  return listMunicipalities().map(({ townId, slug, name, county, type }) => ({ townId, slug, name, county, type, participating: participating.has(townId) }));
}

export type OnboardTownResult = { ok: true; slug: string } | { ok: false; errors: FieldErrorCodes };

const fieldError = (code: TownOnboardingErrorCode, values?: Record<string, string | number>) => ({ code, ...(values ? { values } : {}) });

/** What would clash with the new town; every clash at once, so one round of corrections suffices. */
async function clashesOf(tx: Tx, input: NewTownInput, municipality: Municipality): Promise<FieldErrorCodes> {
  const errors: FieldErrorCodes = {};
  const rows = await tx
    .select({ id: towns.id, slug: towns.slug, name: towns.name, trackingCode: towns.trackingCode })
    .from(towns)
    .where(sql`${towns.id} = ${municipality.townId} or ${towns.slug} = ${input.slug} or upper(${towns.trackingCode}) = ${input.trackingCode}`);
  for (const row of rows) {
    if (row.id === municipality.townId) errors.municipality = fieldError('townOnboarding.municipality.participating', { name: municipality.name });
    if (row.slug === input.slug) errors.slug = fieldError('townOnboarding.slug.taken', { town: row.name });
    if (row.trackingCode.toUpperCase() === input.trackingCode) errors.trackingCode = fieldError('townOnboarding.trackingCode.taken', { town: row.name });
  }
  // Routing and the statewide map know municipalities by their MassGIS slugs too.
  const namesake = listMunicipalities().find((m) => m.slug === input.slug && m.townId !== municipality.townId);
  if (namesake && !errors.slug) errors.slug = fieldError('townOnboarding.slug.other_municipality', { name: namesake.name });
  return errors;
}

/**
 * Adds a municipality to the program, onboarding: the town row, the default categories and the
 * first admin's invitation, in one transaction (nothing half-made survives a failure). The town
 * takes no reports until state staff switch it live.
 */
export async function onboardTown(stateStaff: StateStaff, input: NewTownInput, links: { acceptUrl: (slug: string, token: string) => string }): Promise<OnboardTownResult> {
  const municipality = findMunicipality(input.municipality);
  if (!municipality) return { ok: false, errors: { municipality: fieldError('townOnboarding.municipality.unknown') } };
  const defaultCategories = await loadDefaultCategories();
  const grantEnd = grantEndDate(input.grantStart, input.grantEnd);
  try {
    const result = await withProgramAdministration(async (tx): Promise<OnboardTownResult> => {
      const errors = await clashesOf(tx, input, municipality);
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const townId = municipality.townId;
      const created = {
        slug: input.slug,
        name: municipality.name,
        type: municipality.type,
        county: municipality.county,
        geoid: municipality.geoid,
        trackingCode: input.trackingCode,
        timezone: input.timezone,
        cohort: input.cohort,
        grantStart: input.grantStart,
        grantEnd,
      };
      await tx.insert(towns).values({
        id: townId,
        ...created,
        contact: { phone: null, email: null, website: null },
        accentColor: DEFAULT_ACCENT_COLOR,
        source: `Added in the app by ${stateStaff.user.email}`,
        boundary: municipality.geometry,
        // Not from the registry: `npm run tenants:export` writes it there (docs/decisions/0018).
        registrySnapshot: {},
      });
      await enterTown(tx, townId);
      await insertRegistryCategories(tx, townId, defaultCategories);
      await createInvitation(
        tx,
        { id: townId, name: municipality.name },
        { userId: stateStaff.user.id, name: stateStaff.user.displayName ?? stateStaff.user.email },
        { email: input.adminEmail, role: 'admin', acceptUrl: (token) => links.acceptUrl(input.slug, token) },
      );
      await recordAudit(tx, townId, { actorUserId: stateStaff.user.id, action: 'town.onboarded', entityType: 'town', entityId: String(townId), after: { ...created, firstAdmin: input.adminEmail } });
      return { ok: true, slug: input.slug };
    });
    if (result.ok) invalidateTownCaches();
    return result;
  } catch (error) {
    // Another state staff member added the same town or took the slug or code a moment ago.
    if (isUniqueViolation(error)) return { ok: false, errors: { form: fieldError('townOnboarding.municipality.participating', { name: municipality.name }) } };
    throw error;
  }
}

export const ONBOARDING_CHECKLIST_ITEMS = ['boundary_confirmed', 'categories_reviewed', 'departments_with_email', 'team_member', 'test_request_closed'] as const;
export type OnboardingChecklistItem = (typeof ONBOARDING_CHECKLIST_ITEMS)[number];
export type OnboardingChecklist = { items: { item: OnboardingChecklistItem; done: boolean }[]; complete: boolean };

/**
 * What a town must have before it goes live, read from the data itself: the two confirmations its
 * admin gives, at least one department and every department with an email, someone on its team,
 * and a request made and closed (the test request).
 */
export async function readOnboardingChecklist(tx: Tx, townId: number): Promise<OnboardingChecklist> {
  const [[town], [departmentCounts], [team], [closed]] = await Promise.all([
    tx.select({ boundaryConfirmedAt: towns.boundaryConfirmedAt, categoriesReviewedAt: towns.categoriesReviewedAt }).from(towns).where(eq(towns.id, townId)),
    tx
      .select({ all: count(), withoutEmail: sql<number>`count(*) filter (where ${departments.email} is null or ${departments.email} = '')`.mapWith(Number) })
      .from(departments)
      .where(eq(departments.townId, townId)),
    tx.select({ n: count() }).from(memberships).where(eq(memberships.townId, townId)),
    tx
      .select({ n: count() })
      .from(serviceRequests)
      .where(and(eq(serviceRequests.townId, townId), isNotNull(serviceRequests.closedAt))),
  ]);
  const done: Record<OnboardingChecklistItem, boolean> = {
    boundary_confirmed: town?.boundaryConfirmedAt != null,
    categories_reviewed: town?.categoriesReviewedAt != null,
    departments_with_email: (departmentCounts?.all ?? 0) > 0 && departmentCounts?.withoutEmail === 0,
    team_member: (team?.n ?? 0) > 0,
    test_request_closed: (closed?.n ?? 0) > 0,
  };
  const items = ONBOARDING_CHECKLIST_ITEMS.map((item) => ({ item, done: done[item] }));
  return { items, complete: items.every((i) => i.done) };
}

/** The checklist as the town's admin sees it. */
export function onboardingChecklistForAdmin(admin: TownAdmin): Promise<OnboardingChecklist> {
  return withTown(admin.town.id, (tx) => readOnboardingChecklist(tx, admin.town.id));
}

/** The checklist as state staff see it: counts only, no personal data, so nothing to record. */
export function onboardingChecklistForState(_stateStaff: StateStaff, townId: number): Promise<OnboardingChecklist> {
  return withStateOversight((tx) => readOnboardingChecklist(tx, townId));
}

/** The admin's "the boundary is right" or "the categories are reviewed and mapped"; idempotent. */
export async function confirmOnboardingStep(admin: TownAdmin, step: 'confirm_boundary' | 'confirm_categories'): Promise<void> {
  const column = step === 'confirm_boundary' ? towns.boundaryConfirmedAt : towns.categoriesReviewedAt;
  const changed = await withTown(admin.town.id, async (tx) => {
    const set = step === 'confirm_boundary' ? { boundaryConfirmedAt: new Date() } : { categoriesReviewedAt: new Date() };
    const rows = await tx.update(towns).set(set).where(and(eq(towns.id, admin.town.id), isNull(column))).returning({ id: towns.id });
    if (rows.length > 0) await recordAuditBy(tx, admin, { action: `onboarding.${step}`, entityType: 'town', entityId: String(admin.town.id) });
    return rows.length > 0;
  });
  if (changed) invalidateTownCaches();
}

export type TownLifecycleActionResult = { ok: true } | { ok: false; code: 'checklist_incomplete' | 'not_onboarding' | 'already_left' | 'not_left' | 'term_unchanged' };

/** State staff switch an onboarding town live once its checklist is complete. */
export async function goLive(stateStaff: StateStaff, town: TownProfile, now = new Date()): Promise<TownLifecycleActionResult> {
  if (town.liveSince !== null) return { ok: false, code: 'not_onboarding' };
  if (!(await onboardingChecklistForState(stateStaff, town.id)).complete) return { ok: false, code: 'checklist_incomplete' };
  return changeLifecycleFact(stateStaff, town, { liveSince: now }, isNull(towns.liveSince), 'not_onboarding', { action: 'town.went_live' });
}

/**
 * The town leaves the program: it takes no new reports, and keeps every request, page and
 * account (nothing is deleted). Rejoining clears it.
 */
export function leaveProgram(stateStaff: StateStaff, town: TownProfile, reason: string, now = new Date()): Promise<TownLifecycleActionResult> {
  return changeLifecycleFact(stateStaff, town, { leftProgramAt: now }, isNull(towns.leftProgramAt), 'already_left', { action: 'town.left_program', reason });
}

export function rejoinProgram(stateStaff: StateStaff, town: TownProfile, reason: string): Promise<TownLifecycleActionResult> {
  return changeLifecycleFact(stateStaff, town, { leftProgramAt: null }, isNotNull(towns.leftProgramAt), 'not_left', { action: 'town.rejoined_program', reason });
}

/**
 * State staff extend or renew a town's grant term (nobody else may change it); the old and new
 * dates and the reason go into the town's audit log. The lifecycle follows at once.
 */
export function changeGrantTerm(stateStaff: StateStaff, town: TownProfile, term: { grantStart: string; grantEnd: string; reason: string }): Promise<TownLifecycleActionResult> {
  const unchanged = town.grantStart === term.grantStart && town.grantEnd === term.grantEnd;
  return changeLifecycleFact(
    stateStaff,
    town,
    { grantStart: term.grantStart, grantEnd: term.grantEnd },
    unchanged ? sql`false` : sql`true`,
    'term_unchanged',
    { action: 'town.grant_term_changed', reason: term.reason, before: { grantStart: town.grantStart, grantEnd: town.grantEnd } },
  );
}

async function changeLifecycleFact(
  stateStaff: StateStaff,
  town: TownProfile,
  set: { liveSince?: Date; leftProgramAt?: Date | null; grantStart?: string; grantEnd?: string },
  onlyIf: SQL,
  refusal: Exclude<TownLifecycleActionResult, { ok: true }>['code'],
  audit: { action: string; reason?: string; before?: Record<string, unknown> },
): Promise<TownLifecycleActionResult> {
  const changed = await withProgramAdministration(async (tx) => {
    const rows = await tx
      .update(towns)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(towns.id, town.id), onlyIf))
      .returning({ id: towns.id });
    if (rows.length === 0) return false;
    await enterTown(tx, town.id);
    await recordAudit(tx, town.id, {
      actorUserId: stateStaff.user.id,
      action: audit.action,
      entityType: 'town',
      entityId: String(town.id),
      before: audit.before,
      after: { ...set, ...(audit.reason ? { reason: audit.reason } : {}) },
    });
    return true;
  });
  if (!changed) return { ok: false, code: refusal };
  invalidateTownCaches();
  return { ok: true };
}
