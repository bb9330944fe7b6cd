import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

export type StoredObject = { body: Buffer; contentType: string };

export interface PhotoStorage {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
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

function locate(key: string): { filePath: string; contentType: string } {
  const match = STORAGE_KEY.exec(key);
  if (!match) throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
  // Resolved per call so tests (and a changed environment) can point DATA_DIR elsewhere.
  const uploadsDir = path.resolve(process.env.DATA_DIR ?? './data', 'uploads');
  return { filePath: path.join(uploadsDir, key), contentType: CONTENT_TYPES[match[2] as keyof typeof CONTENT_TYPES] };
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

  // Deleting what isn't there succeeds: cleanup after a failed submit may run before or after the put.
  async delete(key) {
    const { filePath } = locate(key);
    await unlink(filePath).catch((error: unknown) => {
      if (!isMissingFile(error)) throw error;
    });
  },
};

/** Photos live on local disk under DATA_DIR/uploads; callers go through this interface so that can change. */
export function getPhotoStorage(): PhotoStorage {
  return localDiskStorage;
}
