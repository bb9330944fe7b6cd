import { desc, eq, sql } from 'drizzle-orm';
import { devMailbox } from '#db/schema';
import { withDelivery } from '#db/scope';

export async function listDevMailbox(options: { to?: string; limit?: number } = {}) {
  return withDelivery((tx) =>
    tx
      .select()
      .from(devMailbox)
      .where(options.to ? eq(sql`lower(${devMailbox.to})`, options.to.toLowerCase()) : undefined)
      .orderBy(desc(devMailbox.id))
      .limit(options.limit ?? 50),
  );
}
