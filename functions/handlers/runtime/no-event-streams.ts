/**
 * Stands in for `@smithy/core/event-streams` in the Lambda bundles (lib/bundling.ts aliases it).
 * The SDK loads it lazily, only for operations that stream events (S3 SelectObjectContent, Bedrock,
 * Transcribe…); docuhook calls none, yet esbuild inlines the lazy import (≈ 20 KB per function).
 * If a future call ever needs it, it fails with this message instead of misbehaving.
 */
function unavailable(): never {
  throw new Error(
    'docuhook bundles do not include AWS SDK event-stream support (@smithy/core/event-streams); remove its alias in lib/bundling.ts to use a streaming operation',
  );
}

export class EventStreamSerde {
  constructor() {
    unavailable();
  }
}

export const eventStreamSerdeProvider = (): never => unavailable();
