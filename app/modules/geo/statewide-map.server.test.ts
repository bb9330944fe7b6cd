import { getStatewideMap, projectLonLat } from './statewide-map.server';

const map = getStatewideMap();

function shape(slug: string) {
  const found = map.shapes.find((candidate) => candidate.slug === slug);
  if (!found) throw new Error(`no shape for ${slug}`);
  return found;
}

function boundingBox(path: string) {
  const numbers = path.match(/-?\d+(?:\.\d+)?/g)!.map(Number);
  const xs = numbers.filter((_, i) => i % 2 === 0);
  const ys = numbers.filter((_, i) => i % 2 === 1);
  return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
}

function contains(box: ReturnType<typeof boundingBox>, [x, y]: [number, number]) {
  return x >= box.minX && x <= box.maxX && y >= box.minY && y <= box.maxY;
}

describe('getStatewideMap', () => {
  it('has one shape per municipality, with unique slugs', () => {
    expect(map.shapes).toHaveLength(351);
    expect(new Set(map.shapes.map((s) => s.slug)).size).toBe(351);
  });

  it('gives every town a non-empty path starting with a move-to', () => {
    for (const { slug, path } of map.shapes) {
      expect(path, slug).toMatch(/^M\d/);
      expect(path, slug).toMatch(/Z$/);
    }
  });

  it('fits a 1000-unit-wide viewBox that contains every shape and label', () => {
    const [minX, minY, width, height] = map.viewBox.split(' ').map(Number);
    expect([minX, minY, width]).toEqual([0, 0, 1000]);
    expect(map.width).toBe(1000);
    expect(map.height).toBe(height);
    // Massachusetts is roughly 1.6 times as wide as it is tall.
    expect(height).toBeGreaterThan(550);
    expect(height).toBeLessThan(700);
    for (const { slug, path, labelX, labelY } of map.shapes) {
      const box = boundingBox(path);
      expect(box.minX, slug).toBeGreaterThanOrEqual(0);
      expect(box.minY, slug).toBeGreaterThanOrEqual(0);
      expect(box.maxX, slug).toBeLessThanOrEqual(width!);
      expect(box.maxY, slug).toBeLessThanOrEqual(height!);
      expect(contains(box, [labelX, labelY]), slug).toBe(true);
    }
  });

  it('projects Somerville City Hall into Somerville, not Pittsfield', () => {
    const cityHall = projectLonLat(-71.0995, 42.3876);
    expect(contains(boundingBox(shape('somerville').path), cityHall)).toBe(true);
    expect(contains(boundingBox(shape('pittsfield').path), cityHall)).toBe(false);
  });

  it('keeps islands as separate rings', () => {
    expect(shape('nantucket').path.match(/M/g)!.length).toBeGreaterThan(1);
  });

  it('keeps the total path data under 250 KB', () => {
    const bytes = map.shapes.reduce((total, { path }) => total + Buffer.byteLength(path), 0);
    expect(bytes).toBeLessThan(250_000);
  });

  it('loads the file once', () => {
    expect(getStatewideMap()).toBe(map);
  });
});
