import { eq } from 'drizzle-orm';
import { auditLog } from '#db/schema';
import { withTown } from '#db/scope';
import type { TownStaff } from '~/utils/capabilities.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { townStaffFor } from '../../../tests/capabilities';
import { createUser, townBySlug } from '../../../tests/factories';
import { fixedT } from '~/i18n/translate';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, TEMPLATE_ERROR_CODES, updateTemplate } from './response-templates.server';

let somerville: TownProfile;
let asStaff: TownStaff;
let asMaldenStaff: TownStaff;

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  const malden = await townBySlug('malden');
  asStaff = await townStaffFor(somerville, await createUser({ roles: [[somerville, 'staff']] }));
  asMaldenStaff = await townStaffFor(malden, await createUser({ roles: [[malden, 'staff']] }));
});

describe('response templates', () => {
  it('creates, lists, updates and deletes, validating lengths and auditing each change', async () => {
    expect(await createTemplate(asStaff, { title: '', body: 'x'.repeat(4001) })).toEqual({
      ok: false,
      reason: 'invalid',
      fieldErrors: { title: { code: 'template.title.required', values: { min: 1 } }, body: { code: 'template.body.too_long', values: { max: 4000 } } },
    });
    expect(await createTemplate(asStaff, { title: 't'.repeat(121), body: 'ok' })).toMatchObject({ ok: false, fieldErrors: { title: { code: 'template.title.too_long', values: { max: 120 } } } });
    const created = await createTemplate(asStaff, { title: ' Crew scheduled ', body: 'A crew is scheduled this week.' });
    if (!created.ok) throw new Error('not created');
    expect(created.template).toMatchObject({ title: 'Crew scheduled', body: 'A crew is scheduled this week.' });
    expect(await listTemplates(asStaff)).toContainEqual(created.template);
    expect(await listTemplates(asMaldenStaff)).toEqual([]);

    // Another town cannot read, change or delete it.
    expect(await getTemplate(asMaldenStaff, created.template.id)).toBeNull();
    expect(await updateTemplate(asMaldenStaff, created.template.id, { title: 'Hijacked', body: 'x' })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await deleteTemplate(asMaldenStaff, created.template.id)).toBe(false);

    expect(await updateTemplate(asStaff, created.template.id, { title: 'Crew booked', body: 'Booked.' })).toMatchObject({ ok: true, template: { title: 'Crew booked' } });
    expect(await getTemplate(asStaff, created.template.id)).toMatchObject({ title: 'Crew booked', body: 'Booked.' });
    expect(await deleteTemplate(asStaff, created.template.id)).toBe(true);
    expect(await getTemplate(asStaff, created.template.id)).toBeNull();
    expect(await deleteTemplate(asStaff, 'not-a-uuid')).toBe(false);

    const entries = await withTown(somerville.id, (tx) => tx.select().from(auditLog).where(eq(auditLog.entityId, created.template.id)).orderBy(auditLog.createdAt, auditLog.id));
    expect(entries.map((e) => [e.action, e.entityType])).toEqual([
      ['created', 'response_template'],
      ['updated', 'response_template'],
      ['deleted', 'response_template'],
    ]);
    expect(entries[1]).toMatchObject({ before: { title: 'Crew scheduled' }, after: { title: 'Crew booked' } });
  });
});

describe('response template error wording', () => {
  it('the English catalogue words every code a template change can return', () => {
    const t = fixedT('en', 'errors');
    expect(TEMPLATE_ERROR_CODES.filter((code) => t(code) === code)).toEqual([]);
  });
});
