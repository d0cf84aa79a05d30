/**
 * What a role of the synthesized stack may do to one resource, read from its identity policies:
 * the red-team suite asserts these before it carries out an attack with exactly those rights
 * (the emulators enforce no IAM). Actions are matched as IAM does, wildcards included.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import {
  AGENCY_SIGNER_FUNCTION,
  APPENDER_FUNCTION,
  CUSTODIAN_SIGNER_FUNCTION,
  HASHER_FUNCTION,
} from '../../definitions/pipeline';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack';
import { statementCovers } from '../infra/support/signing-rights';
import {
  asArray,
  getAtt,
  identityStatements,
  logicalIdOf,
  resourcePolicyStatements,
  statementsOfRole,
} from '../infra/support/template-queries';
import { MAC_ACTIONS } from '../../infra/constructs/continuation-key';

export type RoleName =
  | 'hasher'
  | 'agencySigner'
  | 'custodianSigner'
  | 'appender'
  | 'anchor'
  | 'auditor'
  | 'agencyCosigner'
  | 'custodianCosigner';

/** Logical ids of every role the stack creates for its functions. */
export function roleIds(stack: EvidenceLedgerStack): Record<RoleName, string> {
  const fn = (definition: Parameters<typeof stack.functions.get>[0]) => {
    const pipelineFunction = stack.functions.get(definition);
    if (!pipelineFunction) throw new Error(`no function ${definition.id}`);
    return logicalIdOf(stack, pipelineFunction.role);
  };
  return {
    hasher: fn(HASHER_FUNCTION),
    agencySigner: fn(AGENCY_SIGNER_FUNCTION),
    custodianSigner: fn(CUSTODIAN_SIGNER_FUNCTION),
    appender: fn(APPENDER_FUNCTION),
    anchor: logicalIdOf(stack, stack.anchorFunction.role),
    auditor: logicalIdOf(stack, stack.auditorFunction.role),
    agencyCosigner: logicalIdOf(stack, stack.cosigners.agency.role),
    custodianCosigner: logicalIdOf(stack, stack.cosigners.custodian.role),
  };
}

/** One Allow of a role on a resource: its actions and the write limits of its conditions. */
export interface ResourceGrant {
  readonly actions: readonly string[];
  /** `dynamodb:Attributes` (ForAllValues:StringEquals), null when unconditioned. */
  readonly attributes: readonly string[] | null;
  /** `dynamodb:LeadingKeys` (ForAllValues:StringLike), null when unconditioned. */
  readonly leadingKeys: readonly string[] | null;
}

const names = (resource: unknown): string[] => asArray(resource).map((r) => JSON.stringify(r));

/**
 * The role's Allow statements whose Resource names the resource's ARN. Statements on `*` are
 * left out here (X-Ray's); `tableWriters` and `wildcardGrants` look at those.
 */
export function grantsOn(template: Template, roleId: string, resourceId: string): ResourceGrant[] {
  const arn = JSON.stringify(getAtt(resourceId));
  return statementsOfRole(template, roleId)
    .filter((s) => s.Effect === 'Allow' && names(s.Resource).includes(arn))
    .map((s) => {
      const condition = s.Condition ?? {};
      const attributes = condition['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
      const leadingKeys = condition['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
      return {
        actions: asArray(s.Action).slice().sort(),
        attributes: attributes === undefined ? null : asArray(attributes as string | string[]),
        leadingKeys: leadingKeys === undefined ? null : asArray(leadingKeys as string | string[]),
      };
    });
}

/** Every action the role may take on the resource, sorted. */
export function actionsOn(template: Template, roleId: string, resourceId: string): string[] {
  return [...new Set(grantsOn(template, roleId, resourceId).flatMap((g) => g.actions))].sort();
}

/** Every action any role is allowed on Resource `*`, sorted. */
export function wildcardActions(template: Template): string[] {
  const actions = identityStatements(template)
    .filter(
      ({ statement }) => statement.Effect === 'Allow' && names(statement.Resource).includes('"*"'),
    )
    .flatMap(({ statement }) => asArray(statement.Action));
  return [...new Set(actions)].sort();
}

const ITEM_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** Logical ids of the roles any of whose statements may write items of the table. */
export function tableWriters(template: Template, tableId: string): string[] {
  const arn = JSON.stringify(getAtt(tableId));
  return [
    ...new Set(
      identityStatements(template)
        .filter(
          ({ statement }) =>
            statement.Effect === 'Allow' &&
            names(statement.Resource).some((r) => r === arn || r === '"*"') &&
            ITEM_WRITES.some((action) => statementCovers(statement, action)),
        )
        .flatMap(({ roles }) => roles.map((role) => (role as { Ref: string }).Ref)),
    ),
  ].sort();
}

/** The attributes the role may write on the table (union of its write grants); null = any. */
export function writableAttributes(
  template: Template,
  roleId: string,
  tableId: string,
): string[] | null {
  const writes = grantsOn(template, roleId, tableId).filter((g) =>
    g.actions.some((a) => ITEM_WRITES.includes(a)),
  );
  if (writes.some((g) => g.attributes === null)) return null;
  return [...new Set(writes.flatMap((g) => g.attributes ?? []))].sort();
}

/**
 * The Deny statements of the continuation key's policy: the one that matters denies
 * GenerateMac and VerifyMac to every principal whose ARN is not the Auditor's role.
 */
export function continuationKeyDenies(
  stack: EvidenceLedgerStack,
  template: Template,
): Record<string, unknown>[] {
  const keyId = logicalIdOf(stack, stack.continuationKey.key);
  return resourcePolicyStatements(template, 'AWS::KMS::Key')
    .filter(({ policyId, statement }) => policyId === keyId && statement.Effect === 'Deny')
    .map(({ statement }) => statement as unknown as Record<string, unknown>);
}

/** The Deny continuationKeyDenies must contain. */
export function macDenyToAllButTheAuditor(stack: EvidenceLedgerStack): Record<string, unknown> {
  return {
    Principal: { AWS: '*' },
    Action: [...MAC_ACTIONS],
    Condition: {
      ArnNotEquals: {
        'aws:PrincipalArn': getAtt(logicalIdOf(stack, stack.auditorFunction.role)),
      },
    },
  };
}
