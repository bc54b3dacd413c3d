/**
 * Page rendering for scanned PDFs whose page is not one dominant embedded image (several image
 * strips, vector-drawn glyphs). Needs pdfjs's Node canvas backend (`@napi-rs/canvas`) and a
 * runtime where pdfjs can render (Node 22+); when either is missing this returns null and the
 * caller falls back to the embedded images. Nothing is installed or downloaded at run time.
 */
import { renderPageAsImage } from 'unpdf';
import type { PdfjsDoc } from '../pdf-doc.ts';
import type { GrayImage } from './gray.ts';
import { decodePng } from './png.ts';

const CANVAS_MODULE = '@napi-rs/canvas';
let available: Promise<boolean> | null = null;

/** Whether page rendering can work here (checked once). */
export function canRender(): Promise<boolean> {
  available ??= (async () => {
    if (Number(process.versions.node.split('.')[0]) < 22) return false;
    try {
      await import(/* @vite-ignore */ CANVAS_MODULE);
      return true;
    } catch {
      return false;
    }
  })();
  return available;
}

/** Render one page at `dpi` to a grey raster, or null when rendering is unavailable or fails. */
export async function renderPage(doc: PdfjsDoc, pageNumber: number, dpi: number): Promise<GrayImage | null> {
  if (!(await canRender())) return null;
  try {
    const png = await renderPageAsImage(doc as unknown as Parameters<typeof renderPageAsImage>[0], pageNumber, {
      canvasImport: () => import(/* @vite-ignore */ CANVAS_MODULE) as Promise<never>,
      scale: dpi / 72,
    });
    return { ...decodePng(new Uint8Array(png)), dpi };
  } catch {
    return null;
  }
}
