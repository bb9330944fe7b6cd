import { lutimes, mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { getPhotoStorage, isValidStorageKey } from './storage.server';

let dataDir: string;
const originalDataDir = process.env.DATA_DIR;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'photo-storage-'));
  process.env.DATA_DIR = dataDir;
});

afterEach(async () => {
  if (originalDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = originalDataDir;
  await rm(dataDir, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

function webp() {
  return sharp({ create: { width: 32, height: 24, channels: 3, background: '#205493' } }).webp().toBuffer();
}

describe('isValidStorageKey', () => {
  it.each(['reports/0192-abc/display.webp', 'thumb.jpg', 'a/b/c-1.webp'])('accepts %s', (key) => {
    expect(isValidStorageKey(key)).toBe(true);
  });

  it.each([
    '../x.webp',
    'reports/../../x.webp',
    '/etc/passwd',
    '/tmp/x.webp',
    'a\\b.webp',
    '..\\x.webp',
    'reports//x.webp',
    'reports/x.webp/',
    '.x.webp',
    'x.webp.meta.json',
    'x.png',
    'Reports/x.webp',
    'x.webp\0',
    '',
  ])('rejects %j', (key) => {
    expect(isValidStorageKey(key)).toBe(false);
  });
});

describe('getPhotoStorage', () => {
  it('round-trips a photo under DATA_DIR/uploads with its content type', async () => {
    const storage = getPhotoStorage();
    const body = await webp();

    await storage.put('reports/r-1/display.webp', body, 'image/webp');

    expect(await filesUnder(dataDir)).toEqual([path.join('uploads', 'reports', 'r-1', 'display.webp')]);
    const stored = await storage.get('reports/r-1/display.webp');
    expect(stored?.contentType).toBe('image/webp');
    expect(stored?.body.equals(body)).toBe(true);

    await storage.delete('reports/r-1/display.webp');
    expect(await storage.get('reports/r-1/display.webp')).toBeNull();
  });

  it('stores JPEGs as image/jpeg', async () => {
    const storage = getPhotoStorage();
    await storage.put('legacy/photo.jpg', Buffer.from([0xff, 0xd8, 0xff]), 'image/jpeg');
    expect((await storage.get('legacy/photo.jpg'))?.contentType).toBe('image/jpeg');
  });

  it('refuses a content type that disagrees with the key', async () => {
    await expect(getPhotoStorage().put('x.jpg', await webp(), 'image/webp')).rejects.toThrow(/image\/jpeg/);
  });

  it('replaces an existing object whole', async () => {
    const storage = getPhotoStorage();
    await storage.put('x.webp', Buffer.from('first version'), 'image/webp');
    await storage.put('x.webp', Buffer.from('second'), 'image/webp');
    expect((await storage.get('x.webp'))?.body.toString()).toBe('second');
    expect(await filesUnder(dataDir)).toEqual([path.join('uploads', 'x.webp')]);
  });

  it('returns null for a missing object and treats deleting one as done', async () => {
    const storage = getPhotoStorage();
    expect(await storage.get('reports/nothing.webp')).toBeNull();
    await expect(storage.delete('reports/nothing.webp')).resolves.toBeUndefined();
  });

  it.each(['../x.webp', '/etc/passwd', 'a\\b.webp', '../../etc/cron.d/x.jpg'])('throws on the traversal key %j in every method', async (key) => {
    const storage = getPhotoStorage();
    await expect(storage.put(key, Buffer.from('x'), 'image/webp')).rejects.toThrow(/Invalid storage key/);
    await expect(storage.get(key)).rejects.toThrow(/Invalid storage key/);
    await expect(storage.delete(key)).rejects.toThrow(/Invalid storage key/);
    expect(await filesUnder(dataDir)).toEqual([]);
  });

  it('leaves no temp file behind when the final rename fails', async () => {
    // A directory where the file should go makes the rename fail after the temp file is written.
    await mkdir(path.join(dataDir, 'uploads', 'blocked.webp'), { recursive: true });

    await expect(getPhotoStorage().put('blocked.webp', await webp(), 'image/webp')).rejects.toThrow();

    expect(await readdir(path.join(dataDir, 'uploads', 'blocked.webp'))).toEqual([]);
    expect(await readdir(path.join(dataDir, 'uploads'))).toEqual(['blocked.webp']);
  });

  it('lists only objects written before the given time, and deletes only abandoned temp files; links are never followed', async () => {
    const storage = getPhotoStorage();
    await storage.put('old/a.webp', Buffer.from('a'), 'image/webp');
    await storage.put('new/b.webp', Buffer.from('b'), 'image/webp');
    const uploads = path.join(dataDir, 'uploads');
    await writeFile(path.join(uploads, 'old', '.a.webp.0123456789ab.tmp'), 'half');
    await writeFile(path.join(uploads, 'old', 'notes.txt'), 'not an object');
    const outside = await mkdtemp(path.join(tmpdir(), 'photo-storage-outside-'));
    try {
      await writeFile(path.join(outside, 'victim.webp'), 'outside the uploads directory');
      await symlink(path.join(outside, 'victim.webp'), path.join(uploads, 'old', 'link.webp'));
      const past = new Date(Date.now() - 7_200_000);
      for (const name of ['a.webp', '.a.webp.0123456789ab.tmp', 'notes.txt']) await utimes(path.join(uploads, 'old', name), past, past);
      await lutimes(path.join(uploads, 'old', 'link.webp'), past, past);

      const hourAgo = new Date(Date.now() - 3_600_000);
      const listed: string[] = [];
      for await (const key of storage.listWrittenBefore(hourAgo)) listed.push(key);
      expect(listed).toEqual(['old/a.webp']);
      expect(await storage.deleteAbandonedWrites(hourAgo)).toBe(1);
      expect((await filesUnder(dataDir)).sort()).toEqual([path.join('uploads', 'new', 'b.webp'), path.join('uploads', 'old', 'a.webp'), path.join('uploads', 'old', 'notes.txt')]);
      expect(await readFile(path.join(outside, 'victim.webp'), 'utf8')).toBe('outside the uploads directory');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('reads DATA_DIR on every call', async () => {
    const storage = getPhotoStorage();
    await storage.put('x.webp', Buffer.from('one'), 'image/webp');
    const otherDir = await mkdtemp(path.join(tmpdir(), 'photo-storage-'));
    try {
      process.env.DATA_DIR = otherDir;
      expect(await storage.get('x.webp')).toBeNull();
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
