/** The offline extractor behind the analyser port: local mode, and `extractor: local` deployments. */
import { closeOcr, extractExpense, ExtractionError, OcrPool } from '../../extractor/index.ts';
import type { AnalyzeExpenseResult } from '../../core/analyze-expense.ts';
import { AnalysisError, type AnalyseInput, type Analyser } from '../../core/ports.ts';

export interface OfflineAnalyserOptions {
  maxPages?: number;
  timeoutMs?: number;
  /**
   * OCR worker pool. Default: the process-wide shared pool (workers start lazily on the first
   * image or scan). Pass your own to size it; `close()` then closes that pool.
   */
  ocr?: OcrPool;
}

export class OfflineAnalyser implements Analyser {
  readonly source = 'local' as const;

  constructor(private readonly options: OfflineAnalyserOptions = {}) {}

  async analyse(input: AnalyseInput): Promise<AnalyzeExpenseResult> {
    try {
      return await extractExpense(input.bytes, { contentType: input.contentType, ...this.options });
    } catch (err) {
      if (err instanceof ExtractionError) throw new AnalysisError(err.code, err.message);
      throw err;
    }
  }

  /**
   * Terminates the OCR workers (they are threads holding ~100 MB each and keep the process alive).
   * Call once on shutdown; analysing again afterwards starts new workers.
   */
  async close(): Promise<void> {
    if (this.options.ocr) await this.options.ocr.close();
    else await closeOcr();
  }
}
