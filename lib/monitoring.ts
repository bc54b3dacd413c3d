/**
 * Alarms and a dashboard. Alarms (to one SNS topic, optionally e-mailed): messages in any DLQ,
 * function errors, Textract throttling, age of the oldest message on the work queues, and the
 * webhook delivery failure rate. The dashboard shows the same signals over time.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MonitoredQueue {
  readonly label: string;
  readonly queue: sqs.IQueue;
  readonly dlq: sqs.IQueue;
  /** Alarm when the oldest message waits longer than this. */
  readonly maxAge: Duration;
}

export interface MonitoringProps {
  readonly dashboardName: string;
  readonly encryptionKey: kms.IKey;
  readonly alarmEmail?: string;
  readonly queues: MonitoredQueue[];
  readonly functions: { label: string; fn: lambda.IFunction }[];
  /** The signer: its log group feeds the delivery failure metric. */
  readonly signer: { logGroup: logs.ILogGroup; deliveryQueue: sqs.IQueue };
  /** Present in Textract mode: alarm on throttling of these operations. */
  readonly textractOperations?: string[];
  /** Alarm above this share of failed delivery attempts (0–100). @default 25 */
  readonly deliveryFailurePercent?: number;
  /** HTTP API id for the dashboard. */
  readonly httpApiId?: string;
}

export const METRIC_NAMESPACE = 'docuhook';

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      masterKey: props.encryptionKey,
      enforceSSL: true,
      displayName: 'docuhook alarms',
    });
    // enforceSSL makes CDK write a topic policy holding only the TLS deny, and that policy replaces
    // SNS's default one: CloudWatch must be allowed to publish explicitly, and (the topic being
    // encrypted) to use the key. Both only for this account's alarms (confused deputy).
    const stack = Stack.of(this);
    const fromThisAccountsAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    const cloudwatchPrincipal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudwatchPrincipal],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccountsAlarms,
      }),
    );
    props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudwatchPrincipal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccountsAlarms,
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const action = new actions.SnsAction(this.topic);
    const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string, periods = 1) => {
      const a = new cloudwatch.Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: periods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
      return a;
    };

    const queueWidgets: cloudwatch.IWidget[] = [];
    for (const q of props.queues) {
      const dlqDepth = q.dlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      });
      alarm(
        `${q.label}DlqAlarm`,
        dlqDepth,
        1,
        `Messages in the ${q.label} DLQ: they failed every attempt. Inspect, fix the cause, then redrive (docs/operations.md#redrive).`,
      );
      const age = q.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' });
      alarm(
        `${q.label}AgeAlarm`,
        age,
        q.maxAge.toSeconds(),
        `The oldest ${q.label} message waits over ${q.maxAge.toHumanString()}: consumers are failing or falling behind.`,
        2,
      );
      queueWidgets.push(
        new cloudwatch.GraphWidget({
          title: `${q.label} queue`,
          left: [
            q.queue.metricApproximateNumberOfMessagesVisible({ label: 'visible' }),
            q.queue.metricApproximateNumberOfMessagesNotVisible({ label: 'in flight / backing off' }),
            dlqDepth.with({ label: 'DLQ' }),
          ],
          right: [age.with({ label: 'oldest (s)' })],
          width: 8,
        }),
      );
    }

    const fnWidgets: cloudwatch.IWidget[] = [];
    for (const { label, fn } of props.functions) {
      const errors = fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' });
      alarm(
        `${label}ErrorsAlarm`,
        errors,
        1,
        `The ${label} function failed invocations (unhandled errors, timeouts). See its log group.`,
      );
      fnWidgets.push(
        new cloudwatch.GraphWidget({
          title: `${label} function`,
          left: [
            fn.metricInvocations({ statistic: 'Sum' }),
            errors.with({ label: 'Errors' }),
            fn.metricThrottles({ statistic: 'Sum' }),
          ],
          right: [fn.metricDuration({ statistic: 'p90' })],
          width: 8,
        }),
      );
    }

    // Delivery failure rate: failed attempts (from the signer's log) over attempts (receives).
    const failed = new logs.MetricFilter(this, 'DeliveryFailures', {
      logGroup: props.signer.logGroup,
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'DeliveryAttemptsFailed',
      filterPattern: logs.FilterPattern.stringValue('$.message', '=', 'delivery attempt failed'),
      metricValue: '1',
      defaultValue: 0,
    }).metric({ statistic: 'Sum', period: Duration.minutes(15) });
    const attempts = props.signer.deliveryQueue.metricNumberOfMessagesReceived({
      statistic: 'Sum',
      period: Duration.minutes(15),
    });
    const failureRate = new cloudwatch.MathExpression({
      expression: 'IF(attempts >= 10, 100 * failed / attempts, 0)',
      usingMetrics: { failed, attempts },
      label: 'failed delivery attempts (%)',
      period: Duration.minutes(15),
    });
    alarm(
      'DeliveryFailureRateAlarm',
      failureRate,
      props.deliveryFailurePercent ?? 25,
      `Over ${props.deliveryFailurePercent ?? 25} % of webhook delivery attempts failed in 15 minutes (with at least 10 attempts): receivers are down or rejecting signatures.`,
      2,
    );

    const widgets: cloudwatch.IWidget[][] = [
      [
        new cloudwatch.TextWidget({
          markdown: '# docuhook\nQueues, functions, Textract and webhook delivery. Runbook: docs/operations.md',
          width: 24,
          height: 2,
        }),
      ],
      queueWidgets,
      fnWidgets,
      [
        new cloudwatch.GraphWidget({
          title: 'Webhook delivery',
          left: [failed.with({ label: 'failed attempts' }), attempts.with({ label: 'attempts' })],
          right: [failureRate],
          width: 12,
        }),
      ],
    ];

    if (props.textractOperations?.length) {
      const throttled: Record<string, cloudwatch.IMetric> = {};
      props.textractOperations.forEach((operation, i) => {
        throttled[`t${i}`] = new cloudwatch.Metric({
          namespace: 'AWS/Textract',
          metricName: 'ThrottledCount',
          dimensionsMap: { Operation: operation },
          statistic: 'Sum',
          period: Duration.minutes(5),
          label: operation,
        });
      });
      const total = new cloudwatch.MathExpression({
        expression: Object.keys(throttled).join(' + '),
        usingMetrics: throttled,
        label: 'Textract throttled requests',
        period: Duration.minutes(5),
      });
      alarm(
        'TextractThrottlingAlarm',
        total,
        10,
        'Textract throttled docuhook for 15 minutes: lower textractConcurrency or ask for a higher Textract quota (Service Quotas).',
        3,
      );
      widgets[3]!.push(
        new cloudwatch.GraphWidget({ title: 'Textract throttling', left: Object.values(throttled), width: 12 }),
      );
    }
    if (props.httpApiId) {
      const apiMetric = (metricName: string, statistic: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/ApiGateway',
          metricName,
          dimensionsMap: { ApiId: props.httpApiId!, Stage: '$default' },
          statistic,
          label: metricName,
        });
      widgets.push([
        new cloudwatch.GraphWidget({
          title: 'HTTP API',
          left: [apiMetric('Count', 'Sum'), apiMetric('4xx', 'Sum'), apiMetric('5xx', 'Sum')],
          right: [apiMetric('Latency', 'p90')],
          width: 24,
        }),
      ]);
    }
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName, widgets });
  }
}
