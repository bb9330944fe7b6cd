import sharp from 'sharp';
import { fixedT } from '~/i18n/translate';
import { PHOTO_LIMIT_VALUES, PHOTO_LIMITS } from '~/modules/requests/report-limits';
import { makeJpegWithGps } from '../../../tests/fixtures/exif-jpeg';
import { addChosenPhotos, checkChosenPhoto, checkPhotoPixels, HEAD_BYTES, type ChosenPhoto, type PhotoCheck } from './chosen-photos';

const SOMERVILLE = { lat: 42.3876, lng: -71.0995 };
const chosen = (name: string, bytes: Uint8Array, size = bytes.length): ChosenPhoto => ({ name, size, head: bytes.subarray(0, HEAD_BYTES) });
const heic = new Uint8Array([0, 0, 0, 24, ...Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), ...new Uint8Array(64)]);
const words = (check: PhotoCheck) => (check.ok ? null : fixedT('en', 'errors')(`report.${check.error.code}`, check.error.values));

describe('checking a chosen photo before it is uploaded', () => {
  it('takes a JPEG and reads where it was taken, and takes a PNG without a location', async () => {
    const jpeg = await makeJpegWithGps(SOMERVILLE);
    const check = checkChosenPhoto(chosen('IMG_1234.jpg', jpeg), { heicReadable: false });
    expect(check).toMatchObject({ ok: true, format: 'jpeg' });
    expect(check.ok && check.gps!.lat).toBeCloseTo(SOMERVILLE.lat, 6);
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(checkChosenPhoto(chosen('screen.png', png), { heicReadable: false })).toEqual({ ok: true, format: 'png', gps: null });
  });

  it('refuses, by name and with the server’s limit, an empty file, a file over the limit and a file the device would not give', () => {
    expect(words(checkChosenPhoto({ name: 'IMG_0002.jpg', size: 0, head: new Uint8Array(0) }, { heicReadable: false }))).toBe('“IMG_0002.jpg”: This file is empty; choose the photo again.');
    expect(words(checkChosenPhoto({ name: 'big.jpg', size: PHOTO_LIMITS.maxBytes + 1, head: null }, { heicReadable: false }))).toBe(
      '“big.jpg” is larger than 15 MB. Attach a smaller photo.',
    );
    expect(words(checkChosenPhoto({ name: 'cloud.jpg', size: 2_000_000, head: null }, { heicReadable: false }))).toBe(
      '“cloud.jpg” could not be read from your device. Choose it again, or choose another photo.',
    );
  });

  it('takes a file of exactly the size limit', async () => {
    const jpeg = await makeJpegWithGps(SOMERVILLE);
    expect(checkChosenPhoto(chosen('fits.jpg', jpeg, PHOTO_LIMITS.maxBytes), { heicReadable: false }).ok).toBe(true);
  });

  it('refuses what is not an image the server takes, by its bytes and not its name', () => {
    const pdf = new Uint8Array(Buffer.from('%PDF-1.7\n'));
    expect(words(checkChosenPhoto(chosen('photo.jpg', pdf), { heicReadable: false }))).toBe('“photo.jpg”: This file is not a photo we can read. Use a JPEG, PNG, WebP, or AVIF image.');
    expect(words(checkChosenPhoto(chosen('photo.jpg', pdf), { heicReadable: true }))).toMatch(/WebP, HEIC or AVIF/);
    expect(words(checkChosenPhoto(chosen('IMG_0003.HEIC', heic), { heicReadable: false }))).toBe(
      "“IMG_0003.HEIC”: We can't read HEIC photos yet. Set your camera to 'Most Compatible' or send a JPEG.",
    );
    expect(checkChosenPhoto(chosen('IMG_0003.HEIC', heic), { heicReadable: true })).toEqual({ ok: true, format: 'heif', gps: null });
  });

  it('names a file the way the server does, without the characters that could disguise it', () => {
    const check = checkChosenPhoto({ name: 'gpj.\u202eexe.jpg', size: 0, head: null }, { heicReadable: false });
    expect(check).toMatchObject({ ok: false, error: { values: { file: 'gpj.exe.jpg' } } });
  });

  it('refuses a photo over the pixel limit once its size is known', () => {
    expect(checkPhotoPixels('ok.jpg', 10_000, 5_000)).toBeNull();
    const error = checkPhotoPixels('huge.jpg', 10_001, 5_000)!;
    expect(fixedT('en', 'errors')(`report.${error.code}`, error.values)).toBe('“huge.jpg”: This image is too large (over 50 megapixels).');
  });
});

describe('adding chosen photos to the ones already kept', () => {
  const ok: PhotoCheck = { ok: true, format: 'jpeg', gps: null };
  const empty: PhotoCheck = { ok: false, error: { code: 'photos.empty', values: { file: 'x.jpg' } } };

  it('adds while there is room and says once that the rest were over the limit', () => {
    const selection = addChosenPhotos(2, [
      { photo: { name: 'a' }, check: ok },
      { photo: { name: 'b' }, check: ok },
      { photo: { name: 'c' }, check: ok },
    ]);
    expect(selection.added.map((p) => p.name)).toEqual(['a']);
    expect(selection.errors).toEqual([{ code: 'photos.too_many', values: PHOTO_LIMIT_VALUES }]);
    expect(fixedT('en', 'errors')('report.photos.too_many', selection.errors[0]!.values)).toBe('Attach at most 3 photos.');
  });

  it('lets no refused file take a place, and drops none without a message', () => {
    const selection = addChosenPhotos(0, [
      { photo: { name: 'a' }, check: empty },
      { photo: { name: 'b' }, check: ok },
      { photo: { name: 'c' }, check: ok },
      { photo: { name: 'd' }, check: ok },
    ]);
    expect(selection.added.map((p) => p.name)).toEqual(['b', 'c', 'd']);
    expect(selection.errors).toEqual([empty.error]);
  });
});

describe('the photo limits in words', () => {
  it('states the same size limit in the hint as in the messages, from the enforced limit', () => {
    const t = fixedT('en', 'common');
    expect(PHOTO_LIMIT_VALUES).toEqual({ max: 3, maxMegabytes: 15, maxMegapixels: 50 });
    expect(t('photoPicker.hint', PHOTO_LIMIT_VALUES)).toMatch(/up to 15 MB each/);
    expect(t('photoPicker.hintHeic', PHOTO_LIMIT_VALUES)).toMatch(/HEIC or AVIF, up to 15 MB each/);
    expect(t('photoPicker.label', PHOTO_LIMIT_VALUES)).toBe('Photos (up to 3, optional)');
  });
});
