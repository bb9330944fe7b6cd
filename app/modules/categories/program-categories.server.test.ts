import { readFile } from 'node:fs/promises';
import { withStateOversight, withTown } from '#db/scope';
import { townBySlug } from '../../../tests/factories';
import { findProgramCategory, listProgramCategories } from './program-categories.server';

type ListedCategory = { code: string; name: string; description: string; defaultTargetDays: number; defaultQuestions: unknown[] };

describe('the program categories', () => {
  let listed: ListedCategory[];
  beforeAll(async () => {
    listed = JSON.parse(await readFile('tenants/_program/categories.json', 'utf8'));
  });

  it("are the registry's list, in its order, with default target days and questions", async () => {
    const somerville = await townBySlug('somerville');
    expect(await withTown(somerville.id, listProgramCategories)).toEqual(listed);
  });

  it('read the same for state oversight, which compares towns by them', async () => {
    expect((await withStateOversight(listProgramCategories)).map((p) => p.code)).toEqual(listed.map((p) => p.code));
  });

  it('include the kinds the state compares towns by, with useful default questions', () => {
    const codes = listed.map((p) => p.code);
    for (const code of ['pothole', 'streetlight', 'graffiti', 'sidewalk', 'trash-recycling', 'signs', 'trees', 'snow-ice', 'illegal-dumping', 'abandoned-vehicle', 'parking', 'noise', 'rodents', 'parks', 'water-sewer', 'other']) {
      expect(codes).toContain(code);
    }
    const questionCodes = (code: string) => (listed.find((p) => p.code === code)!.defaultQuestions as { code: string }[]).map((q) => q.code);
    expect(questionCodes('pothole')).toEqual(['how-big', 'where-in-the-road']);
    expect(questionCodes('streetlight')).toContain('pole-number');
  });

  it('finds one by code, or null', async () => {
    const somerville = await townBySlug('somerville');
    expect(await withTown(somerville.id, (tx) => findProgramCategory(tx, 'pothole'))).toMatchObject({ code: 'pothole', name: 'Pothole' });
    expect(await withTown(somerville.id, (tx) => findProgramCategory(tx, 'potholes'))).toBeNull();
  });
});
