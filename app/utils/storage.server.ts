import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, opendir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

export type StoredObject = { body: Buffer; contentType: string };

export interface PhotoStorage {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
  /** Keys of the objects last written before `before`, for sweeping those no row references. */
  listWrittenBefore(before: Date): AsyncIterable<string>;
  /** Deletes what writes interrupted by a crash left (temp files) if begun before `before`; returns how many. */
  deleteAbandonedWrites(before: Date): Promise<number>;
}

// The extension is the stored content type, so an object is one file and one atomic rename.
const CONTENT_TYPES = { webp: 'image/webp', jpg: 'image/jpeg' } as const;

// Segments have no dots, backslashes or leading slash, so no key can climb out of the uploads directory
// or name a temp file (which always has a dot-prefixed name).
const STORAGE_KEY = /^[a-z0-9-]+(\/[a-z0-9-]+)*\.(webp|jpg)$/;

export function isValidStorageKey(key: string): boolean {
  return STORAGE_KEY.test(key);
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

// Deleting what isn't there succeeds: cleanup after a failed submit may run before or after the put.
async function deleteFile(filePath: string): Promise<void> {
  await unlink(filePath).catch((error: unknown) => {
    if (!isMissingFile(error)) throw error;
  });
}

// Resolved per call so tests (and a changed environment) can point DATA_DIR elsewhere.
const uploadsDir = () => path.resolve(process.env.DATA_DIR ?? './data', 'uploads');

function locate(key: string): { filePath: string; contentType: string } {
  const match = STORAGE_KEY.exec(key);
  if (!match) throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
  return { filePath: path.join(uploadsDir(), key), contentType: CONTENT_TYPES[match[2] as keyof typeof CONTENT_TYPES] };
}

// writeAtomically's temp file: the target's name behind a dot, 12 random hex digits, `.tmp`.
const TEMP_FILE_NAME = /^\.[a-z0-9-]+\.(webp|jpg)\.[0-9a-f]{12}\.tmp$/;

/** Regular files under the uploads directory (links are never followed) written before `before`. */
async function* filesWrittenBefore(before: Date): AsyncGenerator<{ filePath: string; relativePath: string }> {
  const root = uploadsDir();
  let entries: AsyncIterable<{ name: string; parentPath: string; isFile(): boolean }>;
  try {
    entries = await opendir(root, { recursive: true });
  } catch (error) {
    if (isMissingFile(error)) return;
    throw error;
  }
  for await (const entry of entries) {
    if (!entry.isFile()) continue;
    const filePath = path.join(entry.parentPath, entry.name);
    let writtenAt: Date;
    try {
      writtenAt = (await lstat(filePath)).mtime;
    } catch (error) {
      // Gone between the listing and the look at it (a concurrent delete).
      if (isMissingFile(error)) continue;
      throw error;
    }
    if (writtenAt < before) yield { filePath, relativePath: path.relative(root, filePath).split(path.sep).join('/') };
  }
}

/** Writes beside the target and renames over it, so readers see the old file or the whole new one, never part. */
async function writeAtomically(filePath: string, body: Buffer): Promise<void> {
  await mkdir(path.dirname(filePath), { recursive: true });
  const tempPath = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(tempPath, 'wx');
    try {
      await file.writeFile(body);
      // Flush before the rename so a power loss can't leave the new name pointing at unwritten blocks.
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tempPath, filePath);
  } catch (error) {
    await unlink(tempPath).catch(() => {});
    throw error;
  }
}

const localDiskStorage: PhotoStorage = {
  async put(key, body, contentType) {
    const { filePath, contentType: keyContentType } = locate(key);
    if (contentType !== keyContentType) throw new Error(`Storage key ${key} holds ${keyContentType}, not ${contentType}`);
    await writeAtomically(filePath, body);
  },

  async get(key) {
    const { filePath, contentType } = locate(key);
    try {
      return { body: await readFile(filePath), contentType };
    } catch (error) {
      if (isMissingFile(error)) return null;
      throw error;
    }
  },

  async delete(key) {
    await deleteFile(locate(key).filePath);
  },

  async *listWrittenBefore(before) {
    for await (const { relativePath } of filesWrittenBefore(before)) if (isValidStorageKey(relativePath)) yield relativePath;
  },

  async deleteAbandonedWrites(before) {
    let deleted = 0;
    for await (const { filePath } of filesWrittenBefore(before)) {
      if (!TEMP_FILE_NAME.test(path.basename(filePath))) continue;
      await deleteFile(filePath);
      deleted++;
    }
    return deleted;
  },
};

/** Photos live on local disk under DATA_DIR/uploads; callers go through this interface so that can change. */
export function getPhotoStorage(): PhotoStorage {
  return localDiskStorage;
}
