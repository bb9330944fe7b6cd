/**
 * Where a photo was taken, from its EXIF GPS tags. One reader for the browser (a chosen JPEG moves
 * the map pin before anything is uploaded) and the server (the photo pipeline), so both read the
 * same place from the same photo. Plain bytes in, no Node or DOM APIs; every offset is checked,
 * so a damaged or hostile file yields null, never an exception or a long loop.
 */

export type GpsPoint = { lat: number; lng: number };

const GPS_IFD_POINTER = 0x8825;
const GPS_LATITUDE_REF = 1;
const GPS_LATITUDE = 2;
const GPS_LONGITUDE_REF = 3;
const GPS_LONGITUDE = 4;

const TYPE_ASCII = 2;
const TYPE_LONG = 4;
const TYPE_RATIONAL = 5;
const TYPE_SRATIONAL = 10;
const TYPE_IFD = 13;
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };

// A real IFD holds a few dozen entries; the cap bounds the work a forged count can ask for.
const MAX_IFD_ENTRIES = 512;

type Entry = { type: number; count: number; valueOffset: number };

function tiffReader(tiff: Uint8Array) {
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const order = tiff.length >= 8 ? String.fromCharCode(tiff[0]!, tiff[1]!) : '';
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  const fits = (offset: number, length: number) => offset >= 0 && offset + length <= tiff.length;
  const u16 = (offset: number) => (fits(offset, 2) ? view.getUint16(offset, little) : null);
  const u32 = (offset: number) => (fits(offset, 4) ? view.getUint32(offset, little) : null);
  const s32 = (offset: number) => (fits(offset, 4) ? view.getInt32(offset, little) : null);
  if (u16(2) !== 42) return null;

  /** The entries of the IFD at `offset`, by tag; an entry whose value lies outside the block is left out. */
  function ifd(offset: number | null): Map<number, Entry> {
    const entries = new Map<number, Entry>();
    const count = offset === null ? null : u16(offset);
    if (offset === null || count === null) return entries;
    for (let i = 0; i < Math.min(count, MAX_IFD_ENTRIES); i++) {
      const at = offset + 2 + i * 12;
      const [tag, type, valueCount] = [u16(at), u16(at + 2), u32(at + 4)];
      if (tag === null || type === null || valueCount === null) break;
      const size = (TYPE_SIZES[type] ?? 0) * valueCount;
      const valueOffset = size <= 4 ? at + 8 : u32(at + 8);
      if (size === 0 || valueOffset === null || !fits(valueOffset, size)) continue;
      entries.set(tag, { type, count: valueCount, valueOffset });
    }
    return entries;
  }

  const rational = (entry: Entry, index: number): number | null => {
    const at = entry.valueOffset + index * 8;
    const [numerator, denominator] = entry.type === TYPE_SRATIONAL ? [s32(at), s32(at + 4)] : [u32(at), u32(at + 4)];
    if (numerator === null || denominator === null) return null;
    // "0/0" is how some cameras write a zero they did not measure.
    if (denominator === 0) return numerator === 0 ? 0 : null;
    return numerator / denominator;
  };

  return { ifd, u32, rational, firstCharacter: (entry: Entry) => String.fromCharCode(tiff[entry.valueOffset]!).toUpperCase() };
}

/** GPS from an EXIF block (from the TIFF header on, without JPEG's "Exif\0\0"); null when absent, damaged or implausible. */
export function readExifGps(tiff: Uint8Array): GpsPoint | null {
  const reader = tiffReader(tiff);
  if (!reader) return null;
  const pointer = reader.ifd(reader.u32(4)).get(GPS_IFD_POINTER);
  if (!pointer || (pointer.type !== TYPE_LONG && pointer.type !== TYPE_IFD)) return null;
  const gps = reader.ifd(reader.u32(pointer.valueOffset));

  /** Degrees, minutes and seconds (or fewer: some writers give decimal degrees alone), signed by the hemisphere. */
  const coordinate = (valueTag: number, refTag: number, negative: string, positive: string): number | null => {
    const value = gps.get(valueTag);
    const ref = gps.get(refTag);
    if (!value || !ref || ref.type !== TYPE_ASCII || (value.type !== TYPE_RATIONAL && value.type !== TYPE_SRATIONAL)) return null;
    const hemisphere = reader.firstCharacter(ref);
    if (hemisphere !== negative && hemisphere !== positive) return null;
    let degrees = 0;
    for (let i = 0; i < Math.min(value.count, 3); i++) {
      const part = reader.rational(value, i);
      if (part === null) return null;
      degrees += part / 60 ** i;
    }
    return hemisphere === negative ? -degrees : degrees;
  };

  const lat = coordinate(GPS_LATITUDE, GPS_LATITUDE_REF, 'S', 'N');
  const lng = coordinate(GPS_LONGITUDE, GPS_LONGITUDE_REF, 'W', 'E');
  if (lat === null || lng === null || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  // 0,0 is what cameras write when they had no fix.
  if ((lat === 0 && lng === 0) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  return { lat, lng };
}

const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"
const SOS = 0xda;
const EOI = 0xd9;
const APP1 = 0xe1;

/** The EXIF block of a JPEG's APP1 segment, found among the segments before the image data; null when there is none in `bytes`. */
export function findJpegExif(bytes: Uint8Array): Uint8Array | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    // Fill bytes before a marker.
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === SOS || marker === EOI) return null;
    // Markers without a length: TEM and the restart markers.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (length < 2) return null;
    const start = at + 4;
    const end = at + 2 + length;
    if (marker === APP1 && EXIF_HEADER.every((byte, i) => bytes[start + i] === byte)) {
      return bytes.subarray(start + EXIF_HEADER.length, Math.min(end, bytes.length));
    }
    at = end;
  }
  return null;
}

/** Where a JPEG was taken; a browser needs only the file's first bytes (EXIF comes before the image). */
export function readJpegGps(bytes: Uint8Array): GpsPoint | null {
  const exif = findJpegExif(bytes);
  return exif ? readExifGps(exif) : null;
}
