import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { auditLog } from '#db/schema';
import { withTown } from '#db/scope';
import { findTownBySlug } from '~/utils/town-profile.server';
import { getPhotoStorage } from '~/utils/storage.server';
import { townAdminFor } from '../../../tests/capabilities';
import { createUser, townBySlug } from '../../../tests/factories';
import { profileForm } from './admin-forms';
import { fixedT } from '~/i18n/translate';
import { TOWN_PROFILE_ERROR_CODES, updateTownProfile } from './profile.server';

const profile = (overrides: Record<string, string> = {}) =>
  profileForm.parse({ accentColor: '#731f44', phone: '617-555-0100', email: '311@somerville.example', website: 'https://www.somervillema.gov', welcomeMessage: 'Welcome!', bannerMessage: '', ...overrides });
const png = () => sharp({ create: { width: 600, height: 300, channels: 4, background: { r: 115, g: 31, b: 68, alpha: 1 } } }).png().toBuffer();
const storageKeyOf = (url: string | null | undefined) => url?.replace(/^\/photos\//, '') ?? '';

describe('town profile', () => {
  it('saves contact, messages and a logo re-encoded under the town; a new logo replaces the old file', async () => {
    const town = await townBySlug('somerville');
    const admin = await townAdminFor(town, await createUser({ roles: [[town, 'admin']] }));
    expect(await updateTownProfile(admin, { profile: profile(), logo: { bytes: await png(), tooLarge: false } })).toEqual({ ok: true, changed: true });
    const saved = await findTownBySlug('somerville');
    expect(saved).toMatchObject({ contact: { phone: '617-555-0100', email: '311@somerville.example', website: 'https://www.somervillema.gov' }, welcomeMessage: 'Welcome!', bannerMessage: null });
    const firstKey = storageKeyOf(saved?.logoUrl);
    expect(firstKey).toMatch(new RegExp(`^towns/${town.id}/logo-[0-9a-f-]+\\.webp$`));
    const stored = await getPhotoStorage().get(firstKey);
    expect(stored?.contentType).toBe('image/webp');
    expect((await sharp(stored!.body).metadata()).width).toBe(320);

    await updateTownProfile(admin, { profile: profile(), logo: { bytes: await png(), tooLarge: false } });
    const secondKey = storageKeyOf((await findTownBySlug('somerville'))?.logoUrl);
    expect(secondKey).not.toBe(firstKey);
    expect(await getPhotoStorage().get(firstKey)).toBeNull();

    await updateTownProfile(admin, { profile: profile({ removeLogo: 'on' }), logo: null });
    expect((await findTownBySlug('somerville'))?.logoUrl).toBeNull();
    expect(await getPhotoStorage().get(secondKey)).toBeNull();

    const entries = await withTown(town.id, (tx) => tx.select().from(auditLog).where(eq(auditLog.action, 'town.profile_updated')));
    expect(entries).toHaveLength(3);
    expect(entries[2]!.before).toEqual({ logoKey: secondKey });
    expect(entries[2]!.after).toEqual({ logoKey: null });
  });

  it('writes nothing when nothing changed, and refuses a file that is not an image', async () => {
    const town = await townBySlug('malden');
    const admin = await townAdminFor(town, await createUser({ roles: [[town, 'admin']] }));
    const unchanged = profileForm.parse({ accentColor: (await findTownBySlug('malden'))!.accentColor });
    expect(await updateTownProfile(admin, { profile: unchanged, logo: null })).toEqual({ ok: true, changed: false });
    expect(await updateTownProfile(admin, { profile: unchanged, logo: { bytes: Buffer.from('<svg/>'), tooLarge: false } })).toMatchObject({
      ok: false,
      status: 422,
      errors: { logo: { code: expect.stringMatching(/^townProfile\.logo\.unsupported_type/) } },
    });
    expect(await updateTownProfile(admin, { profile: unchanged, logo: { bytes: Buffer.alloc(10), tooLarge: true } })).toMatchObject({ ok: false, status: 413 });
    expect(await withTown(town.id, (tx) => tx.select().from(auditLog))).toHaveLength(0);
  });
});

describe('town profile error wording', () => {
  it('the English catalogue words every code saving the profile can return', () => {
    const t = fixedT('en', 'errors');
    expect(TOWN_PROFILE_ERROR_CODES.filter((code) => t(code) === code)).toEqual([]);
  });
});
