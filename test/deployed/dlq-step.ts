/**
 * The DLQ-redrive step of test:deployed, its decisions as pure functions (tested offline in
 * test/infra/deployed-preflight.test.ts): whether the step can run against this stack, which
 * dead-letter messages are the run's own, and whether the redriven delivery was attempted again.
 */

/** How long the signer may take per attempt beyond the schedule: the 15 s POST timeout and a receive. */
const PER_ATTEMPT_SECONDS = 20;
/** The schedule's ±20 % jitter, and a minute for the message to reach the DLQ after its last attempt. */
const JITTER = 1.2;
const SETTLE_SECONDS = 60;

/** The stack's `DeliveryRetrySchedule` output ("5,300,1800"); undefined when absent or malformed. */
export function parseSchedule(output: string | undefined): number[] | undefined {
  if (!output) return undefined;
  const delays = output.split(',').map((s) => Number(s.trim()));
  return delays.every((d) => Number.isFinite(d) && d >= 0) ? delays : undefined;
}

/** Seconds a delivery that always fails may take to reach the DLQ: every attempt and delay, with jitter. */
export function secondsToDeadLetter(schedule: number[]): number {
  return Math.ceil(
    schedule.reduce((a, b) => a + b, 0) * JITTER + (schedule.length + 1) * PER_ATTEMPT_SECONDS + SETTLE_SECONDS,
  );
}

/**
 * Why the step cannot run here, or undefined when it can. A redrive moves the whole DLQ, so it only
 * runs on an empty one (an operator's dead letters are not this test's to move), and only when
 * the stack's schedule lets a failing delivery reach the DLQ within the run's time.
 */
export function dlqStepProblem(
  scheduleOutput: string | undefined,
  timeoutSeconds: number,
  deliveryDlqDepth: number,
): string | undefined {
  const schedule = parseSchedule(scheduleOutput);
  if (!schedule) return 'the stack has no DeliveryRetrySchedule output: deploy the current version';
  if (deliveryDlqDepth > 0)
    return `the delivery DLQ already holds ${deliveryDlqDepth} message(s); a redrive would move them too`;
  const needed = secondsToDeadLetter(schedule);
  if (needed > timeoutSeconds) {
    return (
      `a failing delivery takes up to ${needed} s to reach the DLQ with this stack's schedule (${schedule.join(',')}), more than DOCUHOOK_E2E_TIMEOUT_S=${timeoutSeconds}: ` +
      'run it against a test stage deployed with -c retrySchedule=0,0,0 (or raise the timeout)'
    );
  }
  return undefined;
}

/** The endpoint a delivery (DLQ) message is for, or undefined for anything else. */
export function endpointOf(messageBody: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(messageBody ?? '') as { endpointId?: unknown; webhookId?: unknown };
    return typeof parsed.endpointId === 'string' && typeof parsed.webhookId === 'string'
      ? parsed.endpointId
      : undefined;
  } catch {
    return undefined;
  }
}

export interface LoggedAttempt {
  message_id: string;
  attempt: number;
  at: string;
  outcome: string;
  status_code: number | null;
}

/**
 * A redriven message is a new copy with a fresh budget (docs/operations.md#redrive): its first POST
 * is attempt 1 again, for a webhook-id whose attempts had all failed. Found by comparing the log
 * read before the redrive with one read after it (no clock comparison between here and AWS).
 */
export function redrivenAttempt(before: LoggedAttempt[], after: LoggedAttempt[]): LoggedAttempt | undefined {
  const key = (a: LoggedAttempt) => `${a.message_id}#${a.attempt}#${a.at}`;
  const seen = new Set(before.map(key));
  const failedBefore = new Set(before.filter((a) => a.outcome === 'failed').map((a) => a.message_id));
  return after.find((a) => !seen.has(key(a)) && a.attempt === 1 && failedBefore.has(a.message_id));
}
