/** The image formats the photo pipeline accepts. No server code: the report form checks a chosen file the same way before uploading it. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'heif' | 'avif';

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
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  return isoBmffFormat(bytes);
}
