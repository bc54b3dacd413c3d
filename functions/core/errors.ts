/** The typed errors the core and its adapters raise. */
import type { FailureCode } from './events.ts';

/** A typed failure any analyser may raise; its code ends up in `document.failed`. */
export class AnalysisError extends Error {
  constructor(readonly code: FailureCode, message: string) {
    super(message);
    this.name = 'AnalysisError';
  }
}

/**
 * Thrown by an analyser that started an asynchronous analysis instead of returning a result
 * (Textract StartExpenseAnalysis for multi-page PDFs). The document stays `processing`; the
 * job's completion notification finishes it through `completeFromAnalysis`.
 */
export class AnalysisStarted extends Error {
  constructor(readonly jobId: string) {
    super(`analysis continues asynchronously (job ${jobId})`);
    this.name = 'AnalysisStarted';
  }
}
