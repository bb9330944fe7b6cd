import ExifReader from 'exifreader';
import sharp, { type Sharp } from 'sharp';
import { PHOTO_LIMITS } from '~/modules/requests/report-limits';

const DISPLAY_MAX_SIDE = 1600;
const THUMBNAIL_MAX_SIDE = 320;
const WEBP_QUALITY = 80;

export type PhotoRejection = 'unsupported_type' | 'too_large' | 'too_many_pixels' | 'corrupt' | 'empty';

export class PhotoRejectedError extends Error {
  constructor(
    public reason: PhotoRejection,
    message: string,
    options?: ErrorOptions & { heicUnsupported?: boolean },
  ) {
    super(message, options);
    this.name = 'PhotoRejectedError';
    this.heicUnsupported = options?.heicUnsupported ?? false;
  }

  /** An iPhone HEIC this build of sharp cannot decode: the advice differs from other unreadable files. */
  readonly heicUnsupported: boolean;
}

export type ProcessedImage = { buffer: Buffer; contentType: 'image/webp' | 'image/jpeg'; width: number; height: number };
export type ProcessedPhoto = {
  display: ProcessedImage;
  thumbnail: ProcessedImage;
  gps: { lat: number; lng: number } | null;
  sourceFormat: 'jpeg' | 'png' | 'webp' | 'heif' | 'avif';
};

// Prebuilt sharp ships libheif with the AV1 decoder only; HEVC (iPhone HEIC) needs a custom libvips build.
export const canDecodeHeic = sharp.format.heif.input.fileSuffix?.includes('.heic') ?? false;

const REJECTION_MESSAGES: Record<PhotoRejection, string> = {
  empty: 'This file is empty; choose the photo again.',
  too_large: `This photo is larger than ${PHOTO_LIMITS.maxBytes / 1024 / 1024} MB.`,
  too_many_pixels: `This image is too large (over ${PHOTO_LIMITS.maxPixels / 1_000_000} megapixels).`,
  unsupported_type: `This file is not a photo we can read. Use a JPEG, PNG, WebP, ${canDecodeHeic ? 'HEIC ' : ''}or AVIF image.`,
  corrupt: 'This photo looks damaged or incomplete; try taking it again.',
};
const HEIC_UNSUPPORTED_MESSAGE = "We can't read HEIC photos yet. Set your camera to 'Most Compatible' or send a JPEG.";

function rejected(reason: PhotoRejection, options?: ErrorOptions): PhotoRejectedError {
  return new PhotoRejectedError(reason, REJECTION_MESSAGES[reason], options);
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

// Real ftyp boxes list a handful of brands; the cap keeps a forged box size from costing a long scan.
const FTYP_SCAN_LIMIT = 256;

function isoBmffFormat(bytes: Uint8Array): 'heif' | 'avif' | null {
  if (bytes.length < 12 || ascii(bytes, 4, 8) !== 'ftyp') return null;
  const boxEnd = Math.min(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0), bytes.length, FTYP_SCAN_LIMIT);
  const brands = [ascii(bytes, 8, 12)];
  // Bytes 12-16 are the minor version, not a brand.
  for (let offset = 16; offset + 4 <= boxEnd; offset += 4) brands.push(ascii(bytes, offset, offset + 4));
  // AVIF files also carry the generic HEIF brand mif1, so the AV1 brands are checked first.
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
  return brands.some((brand) => HEIF_BRANDS.has(brand)) ? 'heif' : null;
}

/** Decides by magic bytes alone: filenames and Content-Type come from the client and prove nothing. */
export function sniffImageFormat(bytes: Uint8Array): ProcessedPhoto['sourceFormat'] | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  return isoBmffFormat(bytes);
}

const EXIF_PREAMBLE = Buffer.from('Exif\0\0', 'latin1');

/** Location is a convenience: unreadable or implausible GPS yields null rather than losing the photo. */
function readGps(exif: Buffer | undefined): ProcessedPhoto['gps'] {
  if (!exif) return null;
  // libvips passes JPEG/WebP/AVIF EXIF with the APP1 preamble and PNG's without; exifreader wants the bare TIFF block.
  const tiff = exif.subarray(0, EXIF_PREAMBLE.length).equals(EXIF_PREAMBLE) ? exif.subarray(EXIF_PREAMBLE.length) : exif;
  let gps: { Latitude?: number; Longitude?: number } | undefined;
  try {
    gps = ExifReader.load(tiff, { expanded: true, includeTags: { gps: true } }).gps;
  } catch {
    return null;
  }
  const lat = gps?.Latitude;
  const lng = gps?.Longitude;
  if (lat === undefined || lng === undefined || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  // 0,0 is what cameras write when they had no fix.
  if ((lat === 0 && lng === 0) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  return { lat, lng };
}

function decodeRejection(error: unknown): PhotoRejectedError {
  const detail = error instanceof Error ? error.message : String(error);
  return rejected(detail.includes('exceeds pixel limit') ? 'too_many_pixels' : 'corrupt', { cause: error });
}

async function encodeWebp(image: Sharp): Promise<ProcessedImage> {
  const { data, info } = await image.webp({ quality: WEBP_QUALITY }).toBuffer({ resolveWithObject: true });
  return { buffer: data, contentType: 'image/webp', width: info.width, height: info.height };
}

/**
 * Validates an uploaded photo and re-encodes it as display and thumbnail WebPs. GPS is read out
 * first for the map pin; the renditions are built from bare pixels (converted to sRGB on the way),
 * so no EXIF (location, camera serials), XMP or ICC profile can reach what we publish.
 */
export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  if (input.length === 0) throw rejected('empty');
  if (input.length > PHOTO_LIMITS.maxBytes) throw rejected('too_large');
  const sourceFormat = sniffImageFormat(input);
  if (!sourceFormat) throw rejected('unsupported_type');
  if (sourceFormat === 'heif' && !canDecodeHeic) throw new PhotoRejectedError('unsupported_type', HEIC_UNSUPPORTED_MESSAGE, { heicUnsupported: true });

  // limitInputPixels is checked against the header, so a decompression bomb fails before any pixel is decoded.
  const image = sharp(input, { limitInputPixels: PHOTO_LIMITS.maxPixels, failOn: 'error' });
  const metadata = await image.metadata().catch((error: unknown) => {
    throw decodeRejection(error);
  });
  // Our own check too, so the limit doesn't rest on one sharp option alone.
  if (metadata.width * metadata.height > PHOTO_LIMITS.maxPixels) throw rejected('too_many_pixels');
  const gps = readGps(metadata.exif);

  // Decode once into display-sized pixels and derive both renditions from them.
  const { data, info } = await image
    .autoOrient()
    .resize(DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw decodeRejection(error);
    });
  const displayPixels = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  const [display, thumbnail] = await Promise.all([
    encodeWebp(displayPixels()),
    encodeWebp(displayPixels().resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })),
  ]);
  return { display, thumbnail, gps, sourceFormat };
}
