/**
 * cdk-nag's AwsSolutions pack over the whole app: no unacknowledged error or warning, and
 * every acknowledgment is narrow (on one resource, naming one finding) and says why.
 */
import { Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeLedgerStack } from './support/synth-ledger-stack.js';

let app: App;

beforeAll(() => {
  // The variant with every optional resource: uploaders, auditors, an alarm topic and its key grant.
  ({ app } = synthesizeLedgerStack({
    context: {
      uploaderPrincipalArns: 'arn:aws:iam::111122223333:role/EvidenceUploader',
      auditorPrincipalArns: 'arn:aws:iam::111122223333:role/EvidenceAuditor',
      alarmEmail: 'ledger-ops@example.org',
    },
  }));
}, 120_000);

interface Acknowledged {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgments(root: IConstruct): Acknowledged[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    const findings = report.violations.map(
      (violation) => `${violation.severity ?? '?'} ${violation.ruleName}: ${violation.description}`,
    );
    expect(findings).toEqual([]);
  });

  it('acknowledges only on single resources, never on the app or the stack', () => {
    const broad = acknowledgments(app).filter(({ path }) => path === '' || !path.includes('/'));
    expect(broad).toEqual([]);
  });

  it('acknowledges IAM5 only for a named finding, each with a reason', () => {
    const all = acknowledgments(app);
    expect(all.length).toBeGreaterThan(0);
    for (const { id, reason } of all) {
      expect(reason.length, id).toBeGreaterThan(30);
      if (id.startsWith('AwsSolutions-IAM5')) expect(id).toMatch(/^AwsSolutions-IAM5\[.+\]$/);
    }
  });
});
