/**
 * The offline extractor behind the analyser port: local mode, and `extractor: local` deployments.
 * Every document is read in the extraction sandbox (worker threads with a heap cap and a hard
 * deadline), so a hostile file can neither stall the event loop nor exhaust the process.
 */
import { ExtractionError } from '../../extractor/errors.ts';
import { ExtractionSandbox, type SandboxOptions } from '../../extractor/sandbox/pool.ts';
import { AnalysisError } from '../../core/errors.ts';
import type { AnalyseInput, Analyser, AnalysisResult } from '../../core/ports.ts';

export interface OfflineAnalyserOptions extends SandboxOptions {
  maxPages?: number;
}

export class OfflineAnalyser implements Analyser {
  readonly source = 'local' as const;
  private readonly sandbox: ExtractionSandbox;

  constructor(private readonly options: OfflineAnalyserOptions = {}) {
    this.sandbox = new ExtractionSandbox(options);
  }

  async analyse(input: AnalyseInput): Promise<AnalysisResult> {
    try {
      const result = await this.sandbox.extract({
        bytes: input.bytes,
        contentType: input.contentType,
        maxPages: this.options.maxPages,
      });
      return { kind: 'completed', result };
    } catch (err) {
      if (err instanceof ExtractionError)
        return { kind: 'failed', error: new AnalysisError(err.code, err.message, { cause: err }) };
      throw err;
    }
  }

  /**
   * Ends the sandbox threads and their OCR workers. Call once on shutdown; analysing again
   * afterwards starts new threads.
   */
  async close(): Promise<void> {
    await this.sandbox.close();
  }
}
