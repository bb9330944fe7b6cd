import type { QuestionType } from '#db/vocabulary';
import { listCategories } from '~/modules/categories/categories.server';

/** The six GeoReport v2 attribute datatypes; a category question maps onto five of them. */
export const OPEN311_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type Open311Datatype = (typeof OPEN311_DATATYPES)[number];

const DATATYPE_OF: Record<QuestionType, Open311Datatype> = {
  text: 'string',
  number: 'number',
  datetime: 'datetime',
  single: 'singlevaluelist',
  multi: 'multivaluelist',
};

export type Open311Service = { code: string; name: string; description: string; metadata: boolean; group: string; keywords: readonly string[] };
export type Open311Attribute = {
  code: string;
  datatype: Open311Datatype;
  required: boolean;
  order: number;
  description: string;
  values: { key: string; name: string }[];
};

/** The services a town offers: its active categories, in the town's own order. */
export async function listOpen311Services(townId: number): Promise<Open311Service[]> {
  const categories = await listCategories(townId);
  return categories.map((c) => ({ code: c.code, name: c.name, description: c.description, metadata: c.questions.length > 0, group: c.group, keywords: c.keywords }));
}

/** A service's attributes (the category's questions, numbered from 1), or null for no active category of that code. */
export async function getOpen311ServiceDefinition(townId: number, code: string): Promise<{ code: string; attributes: Open311Attribute[] } | null> {
  const category = (await listCategories(townId)).find((c) => c.code === code);
  if (!category) return null;
  return {
    code: category.code,
    attributes: category.questions.map((q, index) => ({
      code: q.code,
      datatype: DATATYPE_OF[q.type],
      required: q.required,
      order: index + 1,
      description: q.label,
      values: (q.choices ?? []).map((choice) => ({ key: choice.value, name: choice.label })),
    })),
  };
}

/** When this API's shape last changed: discovery's `changeset`. */
export const OPEN311_CHANGESET = new Date('2026-12-07T00:00:00Z');
