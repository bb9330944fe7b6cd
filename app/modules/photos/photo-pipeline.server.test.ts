import sharp from 'sharp';
import { makeJpegWithGps } from '../../../tests/fixtures/exif-jpeg';
import { PHOTO_LIMITS } from '~/modules/requests/report-limits';
import { sniffImageFormat } from './image-format';
import { PhotoRejectedError, processPhoto, type PhotoRejection } from './photo-pipeline.server';

const SOMERVILLE_CITY_HALL = { lat: 42.3876, lng: -71.0995 };
const canDecodeHeic = sharp.format.heif.input.fileSuffix?.includes('.heic') ?? false;

function solid(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: '#3a7d44' } });
}

function isoBmff(majorBrand: string, compatibleBrands: string[]): Buffer {
  const brands = Buffer.from(majorBrand + '\0\0\0\0' + compatibleBrands.join(''), 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + brands.length);
  return Buffer.concat([size, Buffer.from('ftyp', 'latin1'), brands, Buffer.alloc(64, 1)]);
}

async function rejectionOf(input: Buffer): Promise<PhotoRejectedError> {
  const error = await processPhoto(input).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof PhotoRejectedError)) throw new Error(`expected a PhotoRejectedError, got ${String(error)}`);
  return error;
}

async function expectRejected(input: Buffer, reason: PhotoRejection) {
  const error = await rejectionOf(input);
  expect(error.reason).toBe(reason);
  expect(error.message).toMatch(/^[A-Z].*\.$/);
  return error;
}

async function expectNoMetadata(image: Buffer) {
  const metadata = await sharp(image).metadata();
  expect(metadata.format).toBe('webp');
  expect(metadata.exif).toBeUndefined();
  expect(metadata.icc).toBeUndefined();
  expect(metadata.xmp).toBeUndefined();
  expect(metadata.iptc).toBeUndefined();
  expect(metadata.orientation).toBeUndefined();
}

async function pixelAt(image: Buffer, x: number, y: number) {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [data[offset], data[offset + 1], data[offset + 2]];
}

describe('sniffImageFormat', () => {
  it.each([
    ['jpeg', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10]],
    ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]],
    ['webp', [...Buffer.from('RIFF\x10\0\0\0WEBPVP8 ', 'latin1')]],
  ])('recognises %s by its signature', (format, bytes) => {
    expect(sniffImageFormat(new Uint8Array(bytes))).toBe(format);
  });

  it.each([
    ['heif', 'heic', ['mif1', 'heic']],
    ['heif', 'mif1', ['heix']],
    ['heif', 'msf1', ['hevc']],
    ['avif', 'avif', ['mif1', 'miaf']],
    ['avif', 'mif1', ['avif', 'miaf']],
    ['avif', 'avis', ['msf1']],
  ])('reads ISO-BMFF brands as %s (major %s, compatible %j)', (format, major, compatible) => {
    expect(sniffImageFormat(isoBmff(major, compatible))).toBe(format);
  });

  it.each([
    ['an MP4 video', isoBmff('isom', ['iso2', 'mp41'])],
    ['a WAV file', Buffer.from('RIFF\x10\0\0\0WAVEfmt ', 'latin1')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['a PDF', Buffer.from('%PDF-1.7\n')],
    ['GIF', Buffer.from('GIF89a\x01\0\x01\0', 'latin1')],
    ['a too-short JPEG prefix', Buffer.from([0xff, 0xd8])],
    ['nothing', Buffer.alloc(0)],
  ])('returns null for %s', (_, bytes) => {
    expect(sniffImageFormat(bytes)).toBeNull();
  });
});

describe('processPhoto', () => {
  it('reads GPS, applies the EXIF orientation and strips every kind of metadata', async () => {
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>A Resident</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>';
    const phoneJpeg = await makeJpegWithGps({ ...SOMERVILLE_CITY_HALL, orientation: 6, width: 200, height: 100 });
    const input = await sharp(phoneJpeg).keepMetadata().withXmp(xmp).jpeg().toBuffer();
    const inputMetadata = await sharp(input).metadata();
    expect([inputMetadata.exif, inputMetadata.icc, inputMetadata.xmp].every(Boolean)).toBe(true);
    expect(inputMetadata.orientation).toBe(6);

    const photo = await processPhoto(input);

    expect(photo.sourceFormat).toBe('jpeg');
    expect(photo.gps?.lat).toBeCloseTo(SOMERVILLE_CITY_HALL.lat, 4);
    expect(photo.gps?.lng).toBeCloseTo(SOMERVILLE_CITY_HALL.lng, 4);
    expect(Math.abs(photo.gps!.lat - SOMERVILLE_CITY_HALL.lat)).toBeLessThan(1e-4);
    expect(Math.abs(photo.gps!.lng - SOMERVILLE_CITY_HALL.lng)).toBeLessThan(1e-4);
    for (const image of [photo.display, photo.thumbnail]) {
      expect(image.contentType).toBe('image/webp');
      // Orientation 6 means "rotate 90° clockwise to view": the stored left (red) half ends up on top.
      expect([image.width, image.height]).toEqual([100, 200]);
      await expectNoMetadata(image.buffer);
    }
    const [topRed, , topBlue] = await pixelAt(photo.display.buffer, 50, 10);
    const [bottomRed, , bottomBlue] = await pixelAt(photo.display.buffer, 50, 190);
    expect(topRed).toBeGreaterThan(200);
    expect(topBlue).toBeLessThan(50);
    expect(bottomBlue).toBeGreaterThan(200);
    expect(bottomRed).toBeLessThan(50);
  });

  it('scales the display copy to 1600 px and the thumbnail to 320 px on the longest side', async () => {
    const photo = await processPhoto(await solid(4000, 3000).jpeg().toBuffer());
    expect(photo.display).toMatchObject({ contentType: 'image/webp', width: 1600, height: 1200 });
    expect(photo.thumbnail).toMatchObject({ contentType: 'image/webp', width: 320, height: 240 });
    expect((await sharp(photo.display.buffer).metadata()).format).toBe('webp');
    expect((await sharp(photo.thumbnail.buffer).metadata()).format).toBe('webp');
  });

  it('never enlarges a small photo', async () => {
    const photo = await processPhoto(await solid(300, 120).png().toBuffer());
    expect(photo.display).toMatchObject({ width: 300, height: 120 });
    expect(photo.thumbnail).toMatchObject({ width: 300, height: 120 });
  });

  it('accepts PNG without EXIF and reports no location', async () => {
    const photo = await processPhoto(await solid(640, 480).png().toBuffer());
    expect(photo.sourceFormat).toBe('png');
    expect(photo.gps).toBeNull();
    await expectNoMetadata(photo.display.buffer);
  });

  it('accepts WebP and reads GPS from its EXIF chunk', async () => {
    const webp = await sharp(await makeJpegWithGps(SOMERVILLE_CITY_HALL)).keepExif().webp().toBuffer();
    const photo = await processPhoto(webp);
    expect(photo.sourceFormat).toBe('webp');
    expect(photo.gps?.lat).toBeCloseTo(SOMERVILLE_CITY_HALL.lat, 4);
    await expectNoMetadata(photo.display.buffer);
  });

  it('accepts AVIF', async () => {
    const photo = await processPhoto(await solid(640, 480).avif().toBuffer());
    expect(photo.sourceFormat).toBe('avif');
    expect(photo.display).toMatchObject({ width: 640, height: 480 });
    await expectNoMetadata(photo.display.buffer);
  });

  it.each([
    ['a camera without a fix (0,0)', { lat: 0, lng: 0 }],
    ['an impossible latitude', { lat: 95, lng: -71.0995 }],
    ['an impossible longitude', { lat: 42.3876, lng: 190 }],
  ])('ignores GPS from %s', async (_, position) => {
    expect((await processPhoto(await makeJpegWithGps(position))).gps).toBeNull();
  });

  it('rejects an empty upload', async () => {
    await expectRejected(Buffer.alloc(0), 'empty');
  });

  it('rejects anything over 15 MB by size alone', async () => {
    // Decoding this would fail as corrupt, so too_large shows the size check ran first.
    const oversized = Buffer.alloc(PHOTO_LIMITS.maxBytes + 1, 0x55);
    oversized.set([0xff, 0xd8, 0xff, 0xe0]);
    const error = await expectRejected(oversized, 'too_large');
    expect(error.message).toBe('This photo is larger than 15 MB.');
  });

  it.each([
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')],
    ['HTML', Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>')],
    ['PDF', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n')],
    ['plain text', Buffer.from('pothole on Elm St')],
  ])('rejects %s as unsupported', async (_, bytes) => {
    const error = await expectRejected(bytes, 'unsupported_type');
    expect(error.message).toContain('not a photo we can read');
  });

  it.each([
    ['GIF', () => solid(16, 16).gif().toBuffer()],
    ['TIFF', () => solid(16, 16).tiff().toBuffer()],
  ])('rejects a real %s image as unsupported', async (_, make) => {
    await expectRejected(await make(), 'unsupported_type');
  });

  it.runIf(!canDecodeHeic)('rejects HEIC this sharp cannot decode, suggesting a compatible camera setting', async () => {
    const error = await expectRejected(isoBmff('heic', ['mif1', 'heic']), 'unsupported_type');
    expect(error.message).toContain("Set your camera to 'Most Compatible' or send a JPEG");
  });

  it('rejects a truncated JPEG as corrupt', async () => {
    const noisy = sharp({ create: { width: 400, height: 300, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
    const jpeg = await noisy.jpeg().toBuffer();
    await expectRejected(jpeg.subarray(0, jpeg.length / 2), 'corrupt');
  });

  it('rejects a JPEG whose header is garbage as corrupt', async () => {
    await expectRejected(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(512, 7)]), 'corrupt');
  });

  it('rejects a decompression bomb from its header, without decoding it', async () => {
    const bomb = await solid(10_000, 10_000).png().toBuffer();
    expect(bomb.length).toBeLessThan(PHOTO_LIMITS.maxBytes);

    const started = performance.now();
    const error = await expectRejected(bomb, 'too_many_pixels');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.message).toBe('This image is too large (over 50 megapixels).');
  });
});
