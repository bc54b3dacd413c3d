/** The time one document may take to read, whole (parsing, decoding, OCR). Its own module so the sandbox can name it without loading pdf.js. */
export const DEFAULT_TIMEOUT_MS = 30_000;
