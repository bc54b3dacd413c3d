/**
 * Image uploads → grey rasters, one per page. Headers are checked before anything is decoded
 * (dimensions, page count); PNG is decoded here, JPEG and TIFF through pdfjs's decoders.
 */
import { ExtractionError } from '../errors.ts';
import type { GrayImage } from './gray.ts';
import { decodePng } from './png.ts';
import { decodeStreams, type ImageStream } from './pdfjs-raster.ts';
import { checkDimensions, jpegInfo, tiffIfds, type TiffIfd } from './probe.ts';

export type ImageKind = 'png' | 'jpeg' | 'tiff';

/** All pages at once (tests, single-page formats). The extractor takes them one at a time. */
export async function decodeImage(bytes: Uint8Array, kind: ImageKind, maxPages: number): Promise<GrayImage[]> {
  const pages: GrayImage[] = [];
  for await (const page of imagePages(bytes, kind, maxPages)) pages.push(page);
  return pages;
}

/**
 * Pages decoded lazily: a multi-page TIFF holds one raster in memory at a time (20 pages of
 * 80 MP decoded up front peaked at 2.3 GB).
 */
export async function* imagePages(bytes: Uint8Array, kind: ImageKind, maxPages: number): AsyncGenerator<GrayImage> {
  switch (kind) {
    case 'png':
      yield decodePng(bytes);
      return;
    case 'jpeg': {
      const info = jpegInfo(bytes);
      checkDimensions(info, 'JPEG image');
      const cs = info.components === 1 ? '/DeviceGray' : info.components === 4 ? '/DeviceCMYK' : '/DeviceRGB';
      // Adobe CMYK JPEGs store inverted samples.
      const adobe = info.components === 4 && hasAdobeMarker(bytes) ? ' /Decode [1 0 1 0 1 0 1 0]' : '';
      const [img] = await decodeStreams(
        [
          {
            width: info.width,
            height: info.height,
            dict: `/ColorSpace ${cs} /BitsPerComponent 8 /Filter /DCTDecode${adobe}`,
            data: bytes,
          },
        ],
        'JPEG image',
      );
      yield { ...img!, dpi: info.dpi };
      return;
    }
    case 'tiff':
      yield* tiffPages(bytes, maxPages);
  }
}

function hasAdobeMarker(b: Uint8Array): boolean {
  for (let i = 2; i + 9 < Math.min(b.length, 65536); i++) {
    if (
      b[i] === 0xff &&
      b[i + 1] === 0xee &&
      String.fromCharCode(b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!) === 'Adobe'
    )
      return true;
  }
  return false;
}

function unsupported(detail: string): ExtractionError {
  return new ExtractionError(
    'UNSUPPORTED_FORMAT',
    `This TIFF image uses ${detail}, which is not supported. Save it as PNG, JPEG or PDF and upload it again.`,
  );
}

async function* tiffPages(bytes: Uint8Array, maxPages: number): AsyncGenerator<GrayImage> {
  const { ifds, total } = tiffIfds(bytes, maxPages);
  if (total > maxPages) {
    throw new ExtractionError(
      'TOO_MANY_PAGES',
      `This TIFF has ${total} pages; at most ${maxPages} pages are processed per document. Split the file and upload the invoices separately.`,
    );
  }
  for (const ifd of ifds) {
    checkDimensions(ifd, 'TIFF image');
    const streams = tiffStrips(bytes, ifd);
    const strips = await decodeStreams(streams, 'TIFF image');
    // Stack the strips into one page.
    const data = new Uint8Array(ifd.width * ifd.height).fill(255);
    let y = 0;
    for (const s of strips) {
      const rows = Math.min(s.height, ifd.height - y);
      if (rows <= 0) break;
      if (s.width === ifd.width) data.set(s.data.subarray(0, rows * s.width), y * ifd.width);
      y += rows;
    }
    yield { width: ifd.width, height: ifd.height, data, dpi: ifd.dpi };
  }
}

function reverseBits(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) {
    let v = b[i]!;
    v = ((v & 0xf0) >> 4) | ((v & 0x0f) << 4);
    v = ((v & 0xcc) >> 2) | ((v & 0x33) << 2);
    v = ((v & 0xaa) >> 1) | ((v & 0x55) << 1);
    out[i] = v;
  }
  return out;
}

/** Each strip of a TIFF page as a PDF image stream with the equivalent filter. */
function tiffStrips(b: Uint8Array, ifd: TiffIfd): ImageStream[] {
  if (ifd.rowsPerStrip < 0) throw unsupported('tiles');
  if (ifd.planar === 2 && ifd.samplesPerPixel > 1) throw unsupported('planar colour');
  const bps = ifd.bitsPerSample[0] ?? 1;
  const spp = ifd.samplesPerPixel;
  let cs: string;
  let decode = '';
  switch (ifd.photometric) {
    case 0:
      cs = '/DeviceGray';
      decode = ifd.compression === 3 || ifd.compression === 4 ? '' : ' /Decode [1 0]';
      break;
    case 1:
      cs = '/DeviceGray';
      break;
    case 2:
      if (spp < 3) throw unsupported('RGB with fewer than 3 samples');
      cs = '/DeviceRGB';
      break;
    case 3: {
      const map = ifd.colorMap;
      if (!map || spp !== 1) throw unsupported('a palette without a colour map');
      const n = 1 << bps;
      let hex = '';
      for (let i = 0; i < n; i++)
        for (let c = 0; c < 3; c++) hex += ((map[c * n + i] ?? 0) >> 8).toString(16).padStart(2, '0');
      cs = `[/Indexed /DeviceRGB ${n - 1} <${hex}>]`;
      break;
    }
    case 5:
      cs = '/DeviceCMYK';
      break;
    case 6:
      if (ifd.compression !== 7) throw unsupported('YCbCr without JPEG compression');
      cs = '/DeviceRGB';
      break;
    default:
      throw unsupported(`photometric interpretation ${ifd.photometric}`);
  }
  if (spp > 1 && ifd.photometric !== 2 && ifd.photometric !== 5 && ifd.photometric !== 6)
    throw unsupported('extra samples');
  if ((ifd.photometric === 2 && spp !== 3) || (ifd.photometric === 5 && spp !== 4))
    throw unsupported('extra (alpha) samples');
  const colors = spp;
  const out: ImageStream[] = [];
  const rps = ifd.rowsPerStrip || ifd.height;
  ifd.stripOffsets.forEach((off, i) => {
    const count = ifd.stripByteCounts[i] ?? 0;
    if (off + count > b.length || count === 0)
      throw new ExtractionError(
        'EXTRACTION_FAILED',
        'This TIFF image is truncated or damaged. Export it again and upload it.',
      );
    let data = b.subarray(off, off + count);
    const rows = Math.min(rps, ifd.height - i * rps);
    if (rows <= 0) return;
    let filter = '';
    const pred =
      ifd.predictor === 2
        ? ` /DecodeParms << /Predictor 2 /Colors ${colors} /BitsPerComponent ${bps} /Columns ${ifd.width} >>`
        : '';
    switch (ifd.compression) {
      case 1:
        break;
      case 5:
        filter = `/Filter /LZWDecode /DecodeParms << /EarlyChange 1${ifd.predictor === 2 ? ` /Predictor 2 /Colors ${colors} /BitsPerComponent ${bps} /Columns ${ifd.width}` : ''} >>`;
        break;
      case 8:
      case 32946:
        filter = `/Filter /FlateDecode${pred}`;
        break;
      case 32773:
        filter = '/Filter /RunLengthDecode';
        break;
      case 2:
      case 3:
      case 4: {
        if (ifd.fillOrder === 2) data = reverseBits(data);
        const k = ifd.compression === 4 ? -1 : ifd.compression === 3 && ifd.t4Options & 1 ? 1 : 0;
        const align = ifd.compression === 2 ? ' /EncodedByteAlign true' : '';
        filter = `/Filter /CCITTFaxDecode /DecodeParms << /K ${k} /Columns ${ifd.width} /Rows ${rows} /BlackIs1 ${ifd.photometric === 0 ? 'true' : 'false'}${align} >>`;
        break;
      }
      case 7: {
        // New-style JPEG: the shared tables (without their EOI) go in front of each strip (without its SOI).
        const t = ifd.jpegTables;
        if (t && t.length > 4) {
          const merged = new Uint8Array(t.length - 2 + data.length - 2);
          merged.set(t.subarray(0, t.length - 2), 0);
          merged.set(data.subarray(2), t.length - 2);
          data = merged;
        }
        filter = '/Filter /DCTDecode';
        break;
      }
      default:
        throw unsupported(`compression ${ifd.compression}`);
    }
    const bits = ifd.compression === 2 || ifd.compression === 3 || ifd.compression === 4 ? 1 : bps;
    out.push({
      width: ifd.width,
      height: rows,
      dict: `/ColorSpace ${cs} /BitsPerComponent ${bits} ${filter}${decode}`,
      data,
    });
  });
  if (!out.length)
    throw new ExtractionError('EXTRACTION_FAILED', 'This TIFF image has no image data. Export it again and upload it.');
  return out;
}
