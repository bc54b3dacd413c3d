/**
 * Geometry shared by every text source (PDF text layer now, OCR later). Coordinates are
 * page-normalised 0..1 with the origin top-left, like Textract's BoundingBox.
 */
export interface Word {
  text: string;
  /** 1-based page number. */
  page: number;
  left: number;
  top: number;
  width: number;
  height: number;
  /** Normalised y of the text baseline; OCR sources may approximate it with top + height. */
  baseline: number;
  /** Font size in points (OCR: estimated from the box height); used to rank header lines. */
  fontSize: number;
  /** 0..100, Textract's scale. Text-layer words are near-certain; OCR words carry their own. */
  confidence: number;
}

/** Words of one visual line, left to right, split into segments at wide gaps (columns). */
export interface Line {
  page: number;
  words: Word[];
  /** Runs of words separated by a gap wider than normal word spacing. */
  segments: Segment[];
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
  baseline: number;
  fontSize: number;
  /** Index in reading order over the whole document. */
  index: number;
}

export interface Segment {
  words: Word[];
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}
