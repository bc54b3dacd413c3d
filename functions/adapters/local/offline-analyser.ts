/** The offline extractor behind the analyser port: local mode, and `extractor: local` deployments. */
import { extractExpense, ExtractionError } from '../../extractor/index.ts';
import type { AnalyzeExpenseResult } from '../../core/analyze-expense.ts';
import { AnalysisError, type AnalyseInput, type Analyser } from '../../core/ports.ts';

export class OfflineAnalyser implements Analyser {
  readonly source = 'local' as const;

  constructor(private readonly options: { maxPages?: number; timeoutMs?: number } = {}) {}

  async analyse(input: AnalyseInput): Promise<AnalyzeExpenseResult> {
    try {
      return await extractExpense(input.bytes, { contentType: input.contentType, ...this.options });
    } catch (err) {
      if (err instanceof ExtractionError) throw new AnalysisError(err.code, err.message);
      throw err;
    }
  }
}
