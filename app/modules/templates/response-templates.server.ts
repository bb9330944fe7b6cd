import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { isUuid, uuidv7 } from '#db/ids';
import { responseTemplates } from '#db/schema';
import { withTown, type Tx } from '#db/scope';
import { recordAuditBy } from '~/modules/audit/audit.server';
import type { TownStaff } from '~/utils/capabilities.server';
import { formText } from '~/utils/control-characters';
import { fieldErrorCodesOf, type FieldErrorCodes } from '~/utils/field-errors';

/** A town's reusable public replies: staff keep them on /staff/templates and pick one when replying or closing. */

import { TEMPLATE_BODY_MAX, TEMPLATE_TITLE_MAX } from './template-limits';

/** Every error a template change can return, as a path in the errors catalogue (`errors:template.…`). */
export const TEMPLATE_ERROR_CODES = [
  'template.notFound',
  'template.text.control_characters',
  'template.title.required',
  'template.title.too_long',
  'template.body.required',
  'template.body.too_long',
] as const;

type TemplateErrorCode = (typeof TEMPLATE_ERROR_CODES)[number];
const code = (value: TemplateErrorCode) => value;
const text = (options: { multiline?: boolean } = {}) => formText({ ...options, controlCharactersMessage: code('template.text.control_characters') });

const templateFields = z.object({
  title: text().trim().min(1, code('template.title.required')).max(TEMPLATE_TITLE_MAX, code('template.title.too_long')),
  body: text({ multiline: true }).trim().min(1, code('template.body.required')).max(TEMPLATE_BODY_MAX, code('template.body.too_long')),
});
export type TemplateFields = z.input<typeof templateFields>;

export type ResponseTemplate = { id: string; title: string; body: string };
export type TemplateResult = { ok: true; template: ResponseTemplate } | { ok: false; reason: 'invalid' | 'not_found'; fieldErrors: FieldErrorCodes };

const templateColumns = { id: responseTemplates.id, title: responseTemplates.title, body: responseTemplates.body };
const TEMPLATE_NOT_FOUND: TemplateResult = { ok: false, reason: 'not_found', fieldErrors: { template: { code: code('template.notFound') } } };

export async function listTemplates(staff: TownStaff): Promise<ResponseTemplate[]> {
  return withTown(staff.town.id, (tx) => tx.select(templateColumns).from(responseTemplates).orderBy(sql`lower(${responseTemplates.title})`, asc(responseTemplates.id)));
}

export async function getTemplate(staff: TownStaff, id: string): Promise<ResponseTemplate | null> {
  if (!isUuid(id)) return null;
  const [template] = await withTown(staff.town.id, (tx) => tx.select(templateColumns).from(responseTemplates).where(eq(responseTemplates.id, id)));
  return template ?? null;
}

function parseTemplate(input: TemplateFields): { ok: true; fields: z.output<typeof templateFields> } | Extract<TemplateResult, { ok: false }> {
  const parsed = templateFields.safeParse(input);
  if (parsed.success) return { ok: true, fields: parsed.data };
  return { ok: false, reason: 'invalid', fieldErrors: fieldErrorCodesOf(parsed.error.issues) };
}

function auditTemplate(tx: Tx, staff: TownStaff, verb: string, id: string, before: unknown, after: unknown) {
  return recordAuditBy(tx, staff, { action: verb, entityType: 'response_template', entityId: id, before, after });
}

export async function createTemplate(staff: TownStaff, input: TemplateFields): Promise<TemplateResult> {
  const parsed = parseTemplate(input);
  if (!parsed.ok) return parsed;
  return withTown(staff.town.id, async (tx) => {
    const [template] = await tx.insert(responseTemplates).values({ townId: staff.town.id, id: uuidv7(), ...parsed.fields }).returning(templateColumns);
    await auditTemplate(tx, staff, 'created', template!.id, null, parsed.fields);
    return { ok: true, template: template! };
  });
}

export async function updateTemplate(staff: TownStaff, id: string, input: TemplateFields): Promise<TemplateResult> {
  const parsed = parseTemplate(input);
  if (!parsed.ok) return parsed;
  if (!isUuid(id)) return TEMPLATE_NOT_FOUND;
  return withTown(staff.town.id, async (tx) => {
    const [before] = await tx.select(templateColumns).from(responseTemplates).where(eq(responseTemplates.id, id)).for('update');
    if (!before) return TEMPLATE_NOT_FOUND;
    const [template] = await tx.update(responseTemplates).set(parsed.fields).where(eq(responseTemplates.id, id)).returning(templateColumns);
    await auditTemplate(tx, staff, 'updated', id, { title: before.title, body: before.body }, parsed.fields);
    return { ok: true, template: template! };
  });
}

export async function deleteTemplate(staff: TownStaff, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  return withTown(staff.town.id, async (tx) => {
    const [deleted] = await tx.delete(responseTemplates).where(eq(responseTemplates.id, id)).returning(templateColumns);
    if (!deleted) return false;
    await auditTemplate(tx, staff, 'deleted', id, { title: deleted.title, body: deleted.body }, null);
    return true;
  });
}
