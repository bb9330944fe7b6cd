import { eq } from 'drizzle-orm';
import { uuidv7 } from '#db/ids';
import { towns } from '#db/schema';
import { withTown } from '#db/scope';
import type { FieldError, FieldErrorCodes } from '~/utils/field-errors';
import { recordAuditBy } from '~/modules/audit/audit.server';
import { canDecodeHeic, PhotoRejectedError, processPhoto } from '~/modules/photos/photo-pipeline.server';
import { PHOTO_LIMITS } from '~/modules/requests/report-limits';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import type { TownAdmin } from '~/utils/capabilities.server';
import type { UploadedFile } from '~/utils/multipart.server';
import { getPhotoStorage } from '~/utils/storage.server';
import type { ProfileInput } from './admin-forms';

/** Well above any sensible logo, and under the server's 1 MB limit for ordinary forms. */
export const LOGO_MAX_BYTES = 900 * 1024;

/** jsonb hands object keys back in its own order, so values are compared with sorted keys. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Every field error saving the profile can return, as a path in the errors catalogue (`errors:townProfile.…`). */
export const TOWN_PROFILE_ERROR_CODES = [
  'townProfile.logo.file_too_large',
  'townProfile.logo.empty',
  'townProfile.logo.too_large',
  'townProfile.logo.too_many_pixels',
  'townProfile.logo.unsupported_type',
  'townProfile.logo.unsupported_type_heic_readable',
  'townProfile.logo.heic_unsupported',
  'townProfile.logo.corrupt',
] as const;

type TownProfileErrorCode = (typeof TOWN_PROFILE_ERROR_CODES)[number];

export type ProfileResult = { ok: true; changed: boolean } | { ok: false; status: 413 | 422; errors: FieldErrorCodes };

// The advice for an unreadable file names HEIC only when this build can decode it.
function logoRejection(error: PhotoRejectedError): FieldError {
  const rejection = error.heicUnsupported
    ? 'heic_unsupported'
    : error.reason === 'unsupported_type' && canDecodeHeic
      ? 'unsupported_type_heic_readable'
      : error.reason;
  const code: TownProfileErrorCode = `townProfile.logo.${rejection}`;
  return { code, values: { maxMegabytes: PHOTO_LIMITS.maxBytes / 1024 / 1024, maxMegapixels: PHOTO_LIMITS.maxPixels / 1_000_000 } };
}

/**
 * Saves the town's public settings. A new logo goes through the photo pipeline (type sniffing,
 * size and pixel limits, metadata stripped) and is stored as a 320 px WebP under a fresh key, so
 * caches never show the old one; the replaced file is deleted only after the change is committed.
 */
export async function updateTownProfile(admin: TownAdmin, input: { profile: ProfileInput; logo: Pick<UploadedFile, 'bytes' | 'tooLarge'> | null }): Promise<ProfileResult> {
  const townId = admin.town.id;
  const { profile, logo } = input;
  const storage = getPhotoStorage();
  let newLogoKey: string | null = null;
  if (logo) {
    if (logo.tooLarge) return { ok: false, status: 413, errors: { logo: { code: 'townProfile.logo.file_too_large', values: { maxKilobytes: Math.round(LOGO_MAX_BYTES / 1024) } } } };
    try {
      const { thumbnail } = await processPhoto(logo.bytes);
      newLogoKey = `towns/${townId}/logo-${uuidv7()}.webp`;
      await storage.put(newLogoKey, thumbnail.buffer, thumbnail.contentType);
    } catch (error) {
      if (error instanceof PhotoRejectedError) return { ok: false, status: 422, errors: { logo: logoRejection(error) } };
      throw error;
    }
  }
  try {
    const saved = await withTown(townId, async (tx) => {
      const [current] = await tx
        .select({ contact: towns.contact, accentColor: towns.accentColor, welcomeMessage: towns.welcomeMessage, bannerMessage: towns.bannerMessage, logoKey: towns.logoKey })
        .from(towns)
        .where(eq(towns.id, townId))
        .for('update');
      if (!current) throw new Error(`Town ${townId} is not in the towns table`);
      const next = {
        contact: { phone: profile.phone, email: profile.email, website: profile.website },
        accentColor: profile.accentColor,
        welcomeMessage: profile.welcomeMessage,
        bannerMessage: profile.bannerMessage,
        logoKey: newLogoKey ?? (profile.removeLogo ? null : current.logoKey),
      };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((key) => canonicalJson(next[key]) !== canonicalJson(current[key]));
      if (changed.length === 0) return { changed: false, replacedLogo: null };
      const pick = (source: typeof next) => Object.fromEntries(changed.map((key) => [key, source[key]]));
      // The RLS policy towns_update_own lets this statement touch only the town set by withTown.
      await tx
        .update(towns)
        .set({ ...pick(next), updatedAt: new Date() })
        .where(eq(towns.id, townId));
      await recordAuditBy(tx, admin, { action: 'town.profile_updated', entityType: 'town', entityId: String(townId), before: pick(current), after: pick(next) });
      return { changed: true, replacedLogo: changed.includes('logoKey') ? current.logoKey : null };
    });
    if (saved.changed) invalidateTownCaches();
    // A leftover file is harmless; the saved profile must not fail because of it.
    if (saved.replacedLogo) await storage.delete(saved.replacedLogo).catch(() => {});
    return { ok: true, changed: saved.changed };
  } catch (error) {
    if (newLogoKey) await storage.delete(newLogoKey);
    throw error;
  }
}
