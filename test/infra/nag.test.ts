/** cdk-nag AwsSolutions: zero unacknowledged findings, each acknowledgement with its reason. */
import { Validations } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { acknowledgeKnownFindings, KNOWN_FINDINGS, nagReport } from '../../lib/nag.ts';
import { buildApp } from './support.ts';

describe('cdk-nag AwsSolutions', () => {
  const used = new Set<string>();
  for (const context of [
    {},
    { stage: 'prod', alarmEmail: 'ops@example.com', allowedOrigins: 'https://app.example.com' },
    { extractor: 'local' },
  ]) {
    it(`reports nothing unacknowledged for ${JSON.stringify(context)}`, () => {
      const { app } = buildApp(context);
      const unknown = acknowledgeKnownFindings(app);
      expect(unknown).toEqual([]);
      const report = nagReport(app);
      expect(
        report.violations.map(
          (v) => `${v.severity} ${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(',')}`,
        ),
      ).toEqual([]);
      expect(report.success).toBe(true);
      for (const c of app.node.findAll()) {
        for (const m of c.node.metadata) {
          if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
          for (const [id, reason] of Object.entries(m.data as Record<string, unknown>)) {
            expect(JSON.stringify(reason).length, `${c.node.path} ${id}`).toBeGreaterThan(40);
            const k = KNOWN_FINDINGS.findIndex(
              (f) => f.id.test(id.replace(/^annotation::/i, '')) && f.path.test(c.node.path),
            );
            if (k >= 0) used.add(String(k));
          }
        }
      }
    });
  }

  it('has no stale acknowledgement patterns', () => {
    expect(KNOWN_FINDINGS.map((_, i) => String(i)).filter((i) => !used.has(i))).toEqual([]);
  });

  it('fails on a finding nobody acknowledged', async () => {
    const { app, stack } = buildApp();
    const { Bucket } = await import('aws-cdk-lib/aws-s3');
    new Bucket(stack, 'Careless');
    const unknown = acknowledgeKnownFindings(app);
    expect(unknown.map((u) => u.id)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});
