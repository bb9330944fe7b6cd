import ExifReader from 'exifreader';
import sharp from 'sharp';
import { makeJpegWithGps } from '../../../tests/fixtures/exif-jpeg';
import { findJpegExif, readExifGps, readJpegGps } from './exif-gps';

type Rational = [number, number];
type GpsTags = { latRef?: string; lat?: Rational[]; lngRef?: string; lng?: Rational[]; signed?: boolean };

/** An EXIF block written by hand, in either byte order: IFD0 points to a GPS IFD holding the given tags. */
function exifBlock({ latRef, lat, lngRef, lng, signed = false }: GpsTags, littleEndian: boolean): Uint8Array {
  const entries: { tag: number; type: number; count: number; inline?: string; rationals?: Rational[] }[] = [];
  if (latRef !== undefined) entries.push({ tag: 1, type: 2, count: 2, inline: latRef });
  if (lat) entries.push({ tag: 2, type: signed ? 10 : 5, count: lat.length, rationals: lat });
  if (lngRef !== undefined) entries.push({ tag: 3, type: 2, count: 2, inline: lngRef });
  if (lng) entries.push({ tag: 4, type: signed ? 10 : 5, count: lng.length, rationals: lng });
  const gpsOffset = 8 + 2 + 12 + 4;
  let dataOffset = gpsOffset + 2 + entries.length * 12 + 4;
  const bytes = new Uint8Array(dataOffset + entries.reduce((n, e) => n + (e.rationals?.length ?? 0) * 8, 0));
  const view = new DataView(bytes.buffer);
  bytes.set(littleEndian ? [0x49, 0x49] : [0x4d, 0x4d]);
  view.setUint16(2, 42, littleEndian);
  view.setUint32(4, 8, littleEndian);
  view.setUint16(8, 1, littleEndian);
  view.setUint16(10, 0x8825, littleEndian);
  view.setUint16(12, 4, littleEndian);
  view.setUint32(14, 1, littleEndian);
  view.setUint32(18, gpsOffset, littleEndian);
  view.setUint16(gpsOffset, entries.length, littleEndian);
  entries.forEach((entry, i) => {
    const at = gpsOffset + 2 + i * 12;
    view.setUint16(at, entry.tag, littleEndian);
    view.setUint16(at + 2, entry.type, littleEndian);
    view.setUint32(at + 4, entry.count, littleEndian);
    if (entry.inline !== undefined) bytes.set([...entry.inline].map((c) => c.charCodeAt(0)), at + 8);
    if (entry.rationals) {
      view.setUint32(at + 8, dataOffset, littleEndian);
      for (const [numerator, denominator] of entry.rationals) {
        if (signed) {
          view.setInt32(dataOffset, numerator, littleEndian);
          view.setInt32(dataOffset + 4, denominator, littleEndian);
        } else {
          view.setUint32(dataOffset, numerator, littleEndian);
          view.setUint32(dataOffset + 4, denominator, littleEndian);
        }
        dataOffset += 8;
      }
    }
  });
  return bytes;
}

const segment = (marker: number, payload: Uint8Array) => new Uint8Array([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload]);
const latin1 = (text: string) => new Uint8Array([...text].map((c) => c.charCodeAt(0)));

/** A JPEG's header as a phone writes it: JFIF, maybe XMP first, then EXIF, then the scan. */
function jpegWith(exif: Uint8Array, { xmpFirst = false } = {}): Uint8Array {
  const parts = [
    new Uint8Array([0xff, 0xd8]),
    segment(0xe0, latin1('JFIF\0\x01\x01\0\0\x01\0\x01\0\0')),
    ...(xmpFirst ? [segment(0xe1, latin1('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>'))] : []),
    segment(0xe1, new Uint8Array([...latin1('Exif\0\0'), ...exif])),
    new Uint8Array([0xff, 0xda, 0, 2, 1, 2, 3, 0xff, 0xd9]),
  ];
  return new Uint8Array(parts.flatMap((p) => [...p]));
}

const SOMERVILLE = { lat: 42.3876, lng: -71.0995 };
const dms = (d: number, m: number, s: number): Rational[] => [
  [d, 1],
  [m, 1],
  [Math.round(s * 100), 100],
];

describe('reading GPS from a JPEG', () => {
  it.each([
    ['Somerville', SOMERVILLE],
    ['Sydney', { lat: -33.8688, lng: 151.2093 }],
    ['Reykjavík', { lat: 64.1466, lng: -21.9426 }],
    ['Quito, just south of the equator', { lat: -0.1807, lng: -78.4678 }],
  ])('reads %s from a JPEG that sharp wrote, as the server’s EXIF library does', async (_, point) => {
    const jpeg = await makeJpegWithGps({ ...point, orientation: 6 });
    const gps = readJpegGps(jpeg)!;
    expect(gps.lat).toBeCloseTo(point.lat, 6);
    expect(gps.lng).toBeCloseTo(point.lng, 6);
    const oracle = ExifReader.load(jpeg, { expanded: true, includeTags: { gps: true } }).gps!;
    expect(gps.lat).toBeCloseTo(oracle.Latitude!, 9);
    expect(gps.lng).toBeCloseTo(oracle.Longitude!, 9);
  });

  it('needs only the first bytes of the file, as a browser reads them', async () => {
    const jpeg = await makeJpegWithGps({ ...SOMERVILLE, width: 1200, height: 900 });
    expect(jpeg.length).toBeGreaterThan(4096);
    expect(readJpegGps(jpeg.subarray(0, 2048))).toEqual(readJpegGps(jpeg));
    expect(readJpegGps(jpeg.subarray(0, 2048))).not.toBeNull();
  });

  it('reads either byte order, signed rationals, decimal degrees alone, and EXIF after an XMP segment', () => {
    const tags: GpsTags = { latRef: 'N', lat: dms(42, 23, 15.36), lngRef: 'W', lng: dms(71, 5, 58.2) };
    for (const littleEndian of [true, false]) {
      const gps = readJpegGps(jpegWith(exifBlock(tags, littleEndian), { xmpFirst: true }))!;
      expect(gps.lat).toBeCloseTo(42.3876, 6);
      expect(gps.lng).toBeCloseTo(-71.0995, 6);
    }
    expect(readJpegGps(jpegWith(exifBlock({ ...tags, signed: true }, false)))).toEqual(readJpegGps(jpegWith(exifBlock(tags, false))));
    const decimal = readExifGps(exifBlock({ latRef: 'N', lat: [[423876, 10000]], lngRef: 'W', lng: [[710995, 10000]] }, true));
    expect(decimal).toEqual({ lat: 42.3876, lng: -71.0995 });
    expect(readExifGps(exifBlock({ latRef: 'n', lat: dms(42, 0, 0), lngRef: 'w', lng: [[71, 1], [0, 0], [0, 0]] }, true))).toEqual({ lat: 42, lng: -71 });
  });

  it.each<[string, GpsTags]>([
    ['no hemisphere for the latitude', { lat: dms(42, 23, 15), lngRef: 'W', lng: dms(71, 5, 58) }],
    ['an unknown hemisphere', { latRef: 'X', lat: dms(42, 23, 15), lngRef: 'W', lng: dms(71, 5, 58) }],
    ['a hemisphere of the other axis', { latRef: 'E', lat: dms(42, 23, 15), lngRef: 'W', lng: dms(71, 5, 58) }],
    ['no longitude', { latRef: 'N', lat: dms(42, 23, 15) }],
    ['0,0 (no fix)', { latRef: 'N', lat: dms(0, 0, 0), lngRef: 'E', lng: dms(0, 0, 0) }],
    ['a latitude beyond the pole', { latRef: 'N', lat: dms(95, 0, 0), lngRef: 'W', lng: dms(71, 5, 58) }],
    ['a zero denominator', { latRef: 'N', lat: [[42, 0]], lngRef: 'W', lng: dms(71, 5, 58) }],
  ])('gives no location for %s', (_, tags) => {
    expect(readExifGps(exifBlock(tags, true))).toBeNull();
  });

  it('gives no location for photos without GPS, other formats and non-images', async () => {
    expect(readJpegGps(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).jpeg().toBuffer())).toBeNull();
    expect(readJpegGps(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer())).toBeNull();
    expect(readJpegGps(latin1('%PDF-1.7\n'))).toBeNull();
    expect(readJpegGps(new Uint8Array(0))).toBeNull();
    expect(findJpegExif(jpegWith(new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });

  it('never throws or wanders on a cut or damaged file', async () => {
    const jpeg = new Uint8Array(await makeJpegWithGps(SOMERVILLE));
    const header = findJpegExif(jpeg)!.byteOffset - jpeg.byteOffset + findJpegExif(jpeg)!.length;
    for (let length = 0; length <= header; length++) {
      const gps = readJpegGps(jpeg.subarray(0, length));
      if (gps) expect(gps.lat).toBeCloseTo(SOMERVILLE.lat, 6);
    }
    expect(readJpegGps(jpeg.subarray(0, header))?.lat).toBeCloseTo(SOMERVILLE.lat, 6);
    // A fixed sequence of corruptions, so a failure can be replayed.
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 2000; round++) {
      const damaged = jpeg.slice(0, header);
      for (let i = 0; i < 4; i++) damaged[Math.floor(random() * header)] = Math.floor(random() * 256);
      const gps = readJpegGps(damaged);
      if (gps) {
        expect(Math.abs(gps.lat)).toBeLessThanOrEqual(90);
        expect(Math.abs(gps.lng)).toBeLessThanOrEqual(180);
      }
    }
  });
});
