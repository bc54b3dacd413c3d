/**
 * Webhook signing secrets: Secrets Manager secrets created at runtime, one per endpoint, named
 * `<prefix><accountId>/<endpointId>` and encrypted with a customer managed KMS key. IAM grants are
 * scoped to that name prefix and to KMS use through Secrets Manager only.
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface SigningSecretsProps {
  /** Secret name prefix (ends with "/"). */
  readonly prefix: string;
  /** Key the secrets are encrypted with. @default a new key with yearly rotation */
  readonly encryptionKey?: kms.IKey;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export class SigningSecrets extends Construct {
  readonly prefix: string;
  readonly key: kms.IKey;
  /** ARN pattern of every signing secret (Secrets Manager appends a random 6-character suffix). */
  readonly secretArnPattern: string;

  constructor(scope: Construct, id: string, props: SigningSecretsProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9/_+=.@-]+\/$/.test(props.prefix))
      throw new Error(`secret prefix "${props.prefix}" must be a Secrets Manager name ending in "/"`);
    this.prefix = props.prefix;
    this.key =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        description: `docuhook webhook signing secrets (${props.prefix}*)`,
        enableKeyRotation: true,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      });
    this.secretArnPattern = Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${props.prefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** Environment of every function (functions/core/settings.ts, pipeline-deps.ts). */
  environment(): Record<string, string> {
    return { SECRET_PREFIX: this.prefix, SECRETS_KMS_KEY_ID: this.key.keyArn };
  }

  /** Create, rotate, read and delete signing secrets (the API function). */
  grantManage(grantee: iam.IGrantable): void {
    // Secrets Manager encrypts with GenerateDataKey and decrypts with Decrypt, on the caller's behalf.
    this.grant(
      grantee,
      [
        'secretsmanager:CreateSecret',
        'secretsmanager:PutSecretValue',
        'secretsmanager:GetSecretValue',
        'secretsmanager:DeleteSecret',
      ],
      ['kms:GenerateDataKey', 'kms:Decrypt'],
    );
  }

  /** Read signing secrets (the signer). */
  grantRead(grantee: iam.IGrantable): void {
    this.grant(grantee, ['secretsmanager:GetSecretValue'], ['kms:Decrypt']);
  }

  private grant(grantee: iam.IGrantable, secretActions: string[], keyActions: string[]): void {
    iam.Grant.addToPrincipal({ grantee, actions: secretActions, resourceArns: [this.secretArnPattern] });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: keyActions,
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}
