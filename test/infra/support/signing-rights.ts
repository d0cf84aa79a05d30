/**
 * Who may use a KMS key to sign, read from a synthesized template: the key policy's allows
 * and denies, and every identity policy that names the key. Actions are matched as IAM
 * does, wildcards included, so a `kms:*` or `kms:S*` cannot slip past a literal compare.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import type { PolicyStatementJson } from './template-queries.js';
import { asArray, getAtt, identityStatements, propertiesOf } from './template-queries.js';

const json = (value: unknown) => JSON.stringify(value);

/** True if an IAM action pattern (`kms:*`, `kms:Sign*`, `*`) covers `action`. */
export function actionCovers(pattern: string, action: string): boolean {
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.?+^$(){}|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`, 'i').test(action);
}

/** True if the statement's Action (or NotAction) lets it apply to `action`. */
export function statementCovers(statement: PolicyStatementJson, action: string): boolean {
  const notAction = (statement as { NotAction?: string | string[] }).NotAction;
  if (notAction !== undefined) return !asArray(notAction).some((p) => actionCovers(p, action));
  return asArray(statement.Action).some((pattern) => actionCovers(pattern, action));
}

export function keyPolicyOf(template: Template, keyId: string): PolicyStatementJson[] {
  const policy = propertiesOf(template, keyId).KeyPolicy as { Statement: PolicyStatementJson[] };
  return policy.Statement;
}

/** The AWS principals of a statement, each as JSON (`"*"` for everyone). */
export function awsPrincipals(statement: PolicyStatementJson): string[] {
  const principal = statement.Principal as { AWS?: unknown } | string | undefined;
  if (principal === '*') return [json('*')];
  if (principal === undefined || typeof principal === 'string') return [];
  return asArray(principal.AWS ?? []).map(json);
}

/** Principals (JSON) the key policy allows `action` to, whatever the conditions. */
export function keyPolicyAllows(template: Template, keyId: string, action: string): string[] {
  return keyPolicyOf(template, keyId)
    .filter((statement) => statement.Effect === 'Allow' && statementCovers(statement, action))
    .flatMap(awsPrincipals)
    .sort();
}

/** Roles (as the JSON of their `Fn::GetAtt` ARN) whose identity policies allow `action` on the key. */
export function identityAllows(template: Template, keyId: string, action: string): string[] {
  const keyArn = json(getAtt(keyId));
  return identityStatements(template)
    .filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        statementCovers(statement, action) &&
        asArray(statement.Resource).some(
          (resource) => resource === '*' || json(resource) === keyArn,
        ),
    )
    .flatMap(({ roles }) => roles.map((role) => json(getAtt((role as { Ref: string }).Ref))))
    .sort();
}

/** The key policy's Deny statements on `action` for every principal. */
export function denialsToEveryone(
  template: Template,
  keyId: string,
  action: string,
): PolicyStatementJson[] {
  return keyPolicyOf(template, keyId).filter(
    (statement) =>
      statement.Effect === 'Deny' &&
      statementCovers(statement, action) &&
      [json({ AWS: '*' }), json('*')].includes(json(statement.Principal)),
  );
}

/**
 * The principals the Deny of kms:Sign exempts (its ArnNotEquals aws:PrincipalArn list, as
 * JSON), or null if no such Deny exists. A Deny without condition exempts nobody: [].
 */
export function signDenyExemptions(template: Template, keyId: string): string[] | null {
  const denies = denialsToEveryone(template, keyId, 'kms:Sign').filter(
    ({ Condition }) =>
      Condition === undefined || Object.keys(Condition).every((op) => op === 'ArnNotEquals'),
  );
  if (denies.length !== 1) return null;
  const condition = denies[0]?.Condition;
  if (condition === undefined) return [];
  const arns = condition.ArnNotEquals;
  if (arns === undefined || Object.keys(arns).join() !== 'aws:PrincipalArn') return null;
  return asArray(arns['aws:PrincipalArn']).map(json).sort();
}

/** The role ARN of a role logical id, as JSON, the form the helpers above return. */
export const roleArnJson = (roleId: string) => json(getAtt(roleId));
