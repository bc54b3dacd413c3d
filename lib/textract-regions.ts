/**
 * Regions where Amazon Textract (AnalyzeExpense and its asynchronous pair) has an endpoint, from
 * https://docs.aws.amazon.com/general/latest/gr/textract.html. A Textract-mode stack in any other
 * region deploys cleanly and then fails every document, so synth refuses it.
 */
export const TEXTRACT_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'ap-south-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'us-gov-east-1',
  'us-gov-west-1',
]);

/**
 * Throws when `extractor: textract` is deployed to a region without Textract. An unknown region
 * (an environment-agnostic synth) passes; `allowRegion` is the escape hatch for a region AWS added
 * after this list was written.
 */
export function checkTextractRegion(
  region: string | undefined,
  extractor: 'textract' | 'local',
  allowRegion = false,
): void {
  if (extractor !== 'textract' || region === undefined || allowRegion || TEXTRACT_REGIONS.has(region)) return;
  throw new Error(
    `Amazon Textract is not available in ${region}: deploy to one of ${[...TEXTRACT_REGIONS].join(', ')}, ` +
      'or use -c extractor=local (the offline extractor). If AWS has added Textract to this region since, ' +
      'pass -c textractRegionCheck=false.',
  );
}
