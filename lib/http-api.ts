/**
 * The HTTP API (API Gateway HTTP API → api function). API keys are checked by the function itself
 * (`Authorization: Bearer <key>` → SHA-256 → accounts table), so every route reaches it; the stage
 * is throttled and access-logged, and CORS allows the configured origins only.
 */
import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DocuhookFunction } from './docuhook-function.ts';

export interface HttpApiProps {
  readonly environment: Record<string, string>;
  /** Browser origins allowed by CORS. Empty: no CORS (server-to-server use only). */
  readonly allowedOrigins: string[];
  /** Steady-state requests per second for the whole stage. @default 50 */
  readonly rateLimit?: number;
  /** @default 100 */
  readonly burstLimit?: number;
  /** @default 512 */
  readonly memorySize?: number;
  readonly logRetention?: logs.RetentionDays;
  readonly logRemovalPolicy?: RemovalPolicy;
}

export class HttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly apiFunction: DocuhookFunction;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.apiFunction = new DocuhookFunction(this, 'ApiFunction', {
      name: 'api',
      description: 'docuhook: HTTP API v1',
      memorySize: props.memorySize ?? 512,
      timeout: Duration.seconds(29), // API Gateway's integration timeout is 30 s
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: props.environment,
    });

    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'docuhook HTTP API',
      createDefaultStage: false,
      corsPreflight:
        props.allowedOrigins.length > 0
          ? {
              allowOrigins: props.allowedOrigins,
              allowMethods: [
                apigwv2.CorsHttpMethod.GET,
                apigwv2.CorsHttpMethod.POST,
                apigwv2.CorsHttpMethod.DELETE,
                apigwv2.CorsHttpMethod.OPTIONS,
              ],
              allowHeaders: ['authorization', 'content-type'],
              maxAge: Duration.hours(1),
            }
          : undefined,
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', this.apiFunction.function);
    const routes = this.api.addRoutes({
      path: '/v1/{proxy+}',
      methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST, apigwv2.HttpMethod.DELETE],
      integration,
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    for (const r of routes)
      Validations.of(r).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Authorization is the API key check in the api function itself (Bearer key → SHA-256 → accounts table, docs/design.md §4.1); it needs the account store anyway, and an authorizer in front would double the lookups.',
      });
  }

  /** The base URL clients use (`…/v1/...` routes hang off it). */
  get url(): string {
    return this.stage.url;
  }
}
