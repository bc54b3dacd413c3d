/**
 * The uploads bucket: browsers POST invoices straight into it with presigned POSTs. Private,
 * TLS-only, encrypted, CORS for the configured origins, objects under uploads/ expire after the
 * retention period, abandoned multipart uploads are cleaned up, and access is logged. Event bodies
 * too large for a DynamoDB item or an SQS message live under results/ (functions/core/large-results.ts);
 * they are kept as long as the document records that point at them, i.e. with no expiry.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RESULTS_PREFIX, UPLOADS_PREFIX } from '../functions/core/object-keys.ts';

export { RESULTS_PREFIX, UPLOADS_PREFIX };

/**
 * Large event bodies under results/: writers (the functions that end or announce documents) may
 * only put them, readers (the api for GET /v1/documents, the signer before it signs) only get them.
 */
export function grantResults(grantee: iam.IGrantable, bucket: s3.IBucket, access: 'read' | 'write'): void {
  const action = access === 'read' ? 's3:GetObject' : 's3:PutObject';
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [action], resources: [bucket.arnForObjects(`${RESULTS_PREFIX}*`)] }),
  );
}

/**
 * Lets a principal read upload objects (GET, HEAD). ListBucket, limited to the uploads/ prefix, only
 * makes HEAD of a missing upload answer 404 instead of 403 (S3 checks it with s3:prefix = the key).
 */
export function grantReadUploads(grantee: iam.IGrantable, bucket: s3.IBucket): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${UPLOADS_PREFIX}*`)] }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': `${UPLOADS_PREFIX}*` } },
    }),
  );
}

export interface UploadsBucketProps {
  /** Origins allowed to POST uploads from a browser. Empty: no CORS rule. */
  readonly allowedOrigins: string[];
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Empty the bucket on stack deletion (only with RemovalPolicy.DESTROY). @default false */
  readonly autoDeleteObjects?: boolean;
  /** How long uploaded files are kept; extracted data lives on in DynamoDB. @default 30 days */
  readonly uploadRetention?: Duration;
  /** S3 server access logging into a dedicated bucket. @default true */
  readonly serverAccessLogs?: boolean;
  /** How long access logs are kept. @default 90 days */
  readonly accessLogRetention?: Duration;
}

export class UploadsBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket?: s3.Bucket;

  constructor(scope: Construct, id: string, props: UploadsBucketProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const autoDeleteObjects = removalPolicy === RemovalPolicy.DESTROY && (props.autoDeleteObjects ?? false);
    const secure = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects,
    } satisfies s3.BucketProps;

    if (props.serverAccessLogs ?? true) {
      this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
        ...secure,
        // Log delivery writes with the bucket owner enforced; SSE-S3 is what it supports.
        lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(90) }],
      });
      Validations.of(this.accessLogsBucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason: 'This is the server access log bucket of the uploads bucket; logging it into itself would loop.',
      });
    }

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...secure,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: this.accessLogsBucket ? 'uploads-bucket/' : undefined,
      cors:
        props.allowedOrigins.length > 0
          ? [
              {
                allowedOrigins: props.allowedOrigins,
                // Presigned POST is a multipart form POST; nothing else is done from browsers.
                allowedMethods: [s3.HttpMethods.POST],
                allowedHeaders: ['*'],
                exposedHeaders: ['ETag', 'Location'],
                maxAge: 3600,
              },
            ]
          : undefined,
      lifecycleRules: [
        { id: 'abandoned-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'expire-uploads', prefix: UPLOADS_PREFIX, expiration: props.uploadRetention ?? Duration.days(30) },
      ],
    });
    if (!this.accessLogsBucket) {
      Validations.of(this.bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason:
          'Server access logging is off on stages destroyed with their data: logs delivered after the stack empties its buckets would make the deletion fail (BucketNotEmpty). Retained (production) stages log.',
      });
    }
  }
}
