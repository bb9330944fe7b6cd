import { and, eq, inArray, sql } from 'drizzle-orm';
import { categories, requestEvents, serviceRequests as r } from '#db/schema';
import { withTownReads, type Tx } from '#db/scope';
import type { CategoryQuestion } from '#db/vocabulary';
import { townCalendar } from '~/modules/requests/closure-days.server';
import { businessDaysBetween, type BusinessCalendar } from '~/modules/requests/service-levels';
import { STATUS_LABEL } from '~/modules/requests/statuses';
import type { TownStaff } from '~/utils/capabilities.server';
import { csvLine } from '~/utils/csv';
import { dayIn } from '~/utils/calendar-day';
import { dateTimeFormat } from '~/utils/date-format';
import { siteOrigin } from '~/utils/town.server';
import { itemColumns, orderBy, queueConditions, type QueueFilters } from './queue.server';

const CSV_COLUMNS = [
  'tracking number',
  'url',
  'status',
  'status reason',
  'priority',
  'channel',
  'category',
  'department',
  'assignee',
  'created',
  'acknowledged',
  'last status change',
  'closed',
  'due',
  'overdue',
  'business days to acknowledge',
  'business days to close',
  'address',
  'lat',
  'lng',
  'description',
  'public answers',
];

/** `2026-12-07 09:15:30` on the town's clock: what spreadsheets take for a date and time. */
function spreadsheetTime(instant: Date | null, timeZone: string): string | null {
  if (!instant) return null;
  const parts = Object.fromEntries(
    dateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Answers to the category's public questions, as a resident reads them on the request page: "Label: value; …". */
function publicAnswers(answers: Record<string, string | string[]>, questions: CategoryQuestion[]): string | null {
  const shown = questions
    .filter((q) => q.public && answers[q.code] !== undefined)
    .map((q) => {
      const values = ([] as string[]).concat(answers[q.code]!);
      const words = values.map((v) => q.choices?.find((c) => c.value === v)?.label ?? v);
      return `${q.label}: ${words.join(', ')}`;
    });
  return shown.length > 0 ? shown.join('; ') : null;
}

const exportColumns = {
  id: r.id,
  channel: r.channel,
  categoryId: r.categoryId,
  description: r.description,
  statusReason: r.statusReason,
  acknowledgedAt: r.acknowledgedAt,
  closedAt: r.closedAt,
  answers: r.answers,
  lastStatusChangeAt: sql<Date | null>`(select max(${requestEvents.createdAt}) from ${requestEvents} where ${requestEvents.townId} = ${r.townId} and ${requestEvents.requestId} = ${r.id} and ${requestEvents.kind} in ('status_changed', 'reopened', 'withdrawn'))`.mapWith(r.closedAt),
};

type ExportContext = { ids: string[]; calendar: BusinessCalendar; questions: Map<string, CategoryQuestion[]> };

async function exportContext(tx: Tx, staff: TownStaff, filters: QueueFilters): Promise<ExportContext> {
  const conditions = await queueConditions(tx, staff, filters);
  const ids = conditions
    ? (await tx.select({ id: r.id }).from(r).where(and(eq(r.townId, staff.town.id), conditions.matching)).orderBy(...orderBy(filters.sort))).map((row) => row.id)
    : [];
  const calendar = await townCalendar(tx, staff.town, new Date(0));
  const questions = new Map((await tx.select({ id: categories.id, questions: categories.questions }).from(categories)).map((c) => [c.id, c.questions]));
  return { ids, calendar, questions };
}

/**
 * The filtered queue as CSV, in the view's own sort (issue 13). The matching ids are read once, in
 * that order, with the town's calendar and its categories' questions; the rows then come in batches
 * as the reader asks for them, each its own short transaction, so a slow download holds no
 * connection (or, on PGlite, the whole database) open. Times are on the town's clock in a form
 * spreadsheets read as dates; business days honour holidays and the town's closure days.
 */
export function exportQueueCsv(staff: TownStaff, filters: QueueFilters, { batchSize = 1000 } = {}): ReadableStream<Uint8Array> {
  const townId = staff.town.id;
  const timeZone = staff.town.timezone;
  const origin = siteOrigin(staff.town.slug);
  const encoder = new TextEncoder();
  let context: ExportContext | null = null;
  let next = 0;
  const time = (instant: Date | null) => spreadsheetTime(instant, timeZone);
  const businessDays = (from: Date, to: Date | null, calendar: BusinessCalendar) => (to ? businessDaysBetween(dayIn(from, timeZone), dayIn(to, timeZone), calendar) : null);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // The byte-order mark makes Excel read the file as UTF-8.
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(CSV_COLUMNS)}`));
    },
    async pull(controller) {
      context ??= await withTownReads(townId, (tx) => exportContext(tx, staff, filters));
      const { ids, calendar, questions } = context;
      const chunk = ids.slice(next, next + batchSize);
      next += chunk.length;
      if (chunk.length === 0) return controller.close();
      const rows = await withTownReads(townId, (tx) => {
        // Joined, as the queue's pages are, so that the per-row subqueries name the outer request's columns in full.
        const batch = tx.select({ id: r.id }).from(r).where(and(eq(r.townId, townId), inArray(r.id, chunk))).as('batch');
        return tx
          .select({ ...itemColumns, ...exportColumns })
          .from(batch)
          .innerJoin(r, and(eq(r.townId, townId), eq(r.id, batch.id)));
      });
      const position = new Map(chunk.map((id, i) => [id, i]));
      rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
      const text = rows
        .map((row) =>
          csvLine([
            row.trackingNumber,
            `${origin}/requests/${row.trackingNumber}`,
            STATUS_LABEL[row.status],
            row.statusReason,
            row.priority,
            row.channel,
            row.categoryName,
            row.departmentName,
            row.assigneeEmail,
            time(row.createdAt),
            time(row.acknowledgedAt),
            time(row.lastStatusChangeAt),
            time(row.closedAt),
            time(row.dueAt),
            row.overdue ? 'yes' : 'no',
            businessDays(row.createdAt, row.acknowledgedAt, calendar),
            businessDays(row.createdAt, row.closedAt, calendar),
            row.address,
            row.lat,
            row.lng,
            row.description,
            publicAnswers(row.answers, questions.get(row.categoryId) ?? []),
          ]),
        )
        .join('');
      controller.enqueue(encoder.encode(text));
      if (next >= ids.length) controller.close();
    },
  });
}
