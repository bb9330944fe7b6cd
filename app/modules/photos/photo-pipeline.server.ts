import sharp, { type Sharp } from 'sharp';
import { PHOTO_LIMITS } from '~/modules/requests/report-limits';
import { readExifGps } from './exif-gps';
import { sniffImageFormat, type ImageFormat } from './image-format';

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
  sourceFormat: ImageFormat;
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

const EXIF_PREAMBLE = Buffer.from('Exif\0\0', 'latin1');

/** Location is a convenience: unreadable or implausible GPS yields null rather than losing the photo. */
function readGps(exif: Buffer | undefined): ProcessedPhoto['gps'] {
  if (!exif) return null;
  // libvips passes JPEG/WebP/AVIF EXIF with the APP1 preamble and PNG's without; the reader wants the bare TIFF block.
  return readExifGps(exif.subarray(0, EXIF_PREAMBLE.length).equals(EXIF_PREAMBLE) ? exif.subarray(EXIF_PREAMBLE.length) : exif);
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
