/**
 * One docuhook Lambda function, deployed the same way everywhere: Node.js 24 on ARM64, bundled by
 * local esbuild (no Docker) as minified ESM with source maps and the AWS SDK inside, X-Ray
 * tracing, JSON logs into its own log group with a retention, and its own role that starts with
 * nothing but writing to that log group.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  extraEntryCommands,
  functionBundleSpec,
  PROJECT_ROOT,
  type ExtractorMode,
  type FunctionName,
} from './bundling.ts';
import { copyPackagesCommands, packageClosure } from './runtime-packages.ts';

export interface DocuhookFunctionProps {
  readonly name: FunctionName;
  /** Only for `extract`: which analyser gets bundled. */
  readonly extractor?: ExtractorMode;
  readonly description?: string;
  readonly environment?: Record<string, string>;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** @default 30 days */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log group when the stack goes. @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Reserved concurrency; none by default (event source MaximumConcurrency caps the queue consumers). */
  readonly reservedConcurrentExecutions?: number;
  /** @default Runtime.NODEJS_24_X */
  readonly runtime?: lambda.Runtime;
}

export class DocuhookFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The most concurrent executions its queue event sources can start (0: none consumed). */
  queueConcurrency = 0;

  constructor(scope: Construct, id: string, props: DocuhookFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: logs go to this group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `docuhook ${props.name} function`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const spec = functionBundleSpec(props.name, { extractor: props.extractor });
    const runtimePackages = packageClosure(spec.runtimePackages);
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}/${spec.entry}`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}/package-lock.json`,
      description: props.description,
      runtime: props.runtime ?? lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        NODE_OPTIONS: spec.nodeOptions,
        POWERTOOLS_SERVICE_NAME: `docuhook-${props.name}`,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: spec.target,
        minify: spec.minify,
        sourceMap: spec.sourceMap,
        sourcesContent: spec.sourcesContent,
        mainFields: spec.mainFields,
        banner: spec.banner,
        externalModules: spec.externalModules,
        define: spec.define,
        esbuildArgs: Object.fromEntries(Object.entries(spec.alias).map(([from, to]) => [`--alias:${from}`, to])),
        // Beside the handler: the offline extractor's sandbox worker thread, and the packages it
        // loads at run time (tesseract.js and its language data).
        commandHooks:
          Object.keys(spec.extraEntries).length === 0 && runtimePackages.length === 0
            ? undefined
            : {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [
                  ...extraEntryCommands(spec, inputDir, outputDir),
                  ...copyPackagesCommands(runtimePackages, outputDir, spec.runtimePrune),
                ],
              },
      },
    });
  }

  /**
   * Consumes a queue. Every docuhook handler answers with the batch items that failed (one
   * BatchProcessor per invocation), so ReportBatchItemFailures is always on: a failed record is
   * retried alone instead of with its whole batch.
   */
  consume(queue: sqs.IQueue, options: { batchSize: number; maxConcurrency: number }): void {
    this.queueConcurrency += options.maxConcurrency;
    this.function.addEventSource(new SqsEventSource(queue, { ...options, reportBatchItemFailures: true }));
  }
}
