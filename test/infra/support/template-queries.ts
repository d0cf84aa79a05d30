/** Small queries over a synthesized template, shared by the infra tests. */
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string[];
}

export interface PolicyStatementJson {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Sid?: string;
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

export function resourcesOfType(template: Template, type: string): [string, CfnResourceJson][] {
  return Object.entries(template.findResources(type) as Record<string, CfnResourceJson>);
}

/** The logical id of a construct's CloudFormation resource (or of the element itself). */
export function logicalIdOf(stack: Stack, construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return stack.resolve(element.logicalId) as string;
}

export const getAtt = (logicalId: string, attribute = 'Arn') => ({
  'Fn::GetAtt': [logicalId, attribute],
});

function statementsOf(document: unknown): PolicyStatementJson[] {
  return (document as { Statement: PolicyStatementJson[] }).Statement;
}

/** Every identity-policy statement: inline role policies, AWS::IAM::Policy, managed policies. */
export function identityStatements(template: Template): {
  readonly policyId: string;
  readonly roles: unknown[];
  readonly statement: PolicyStatementJson;
}[] {
  const found: { policyId: string; roles: unknown[]; statement: PolicyStatementJson }[] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [policyId, resource] of resourcesOfType(template, type)) {
      const properties = resource.Properties ?? {};
      const roles = (properties.Roles as unknown[] | undefined) ?? [];
      for (const statement of statementsOf(properties.PolicyDocument)) {
        found.push({ policyId, roles, statement });
      }
    }
  }
  for (const [policyId, resource] of resourcesOfType(template, 'AWS::IAM::Role')) {
    const inline =
      (resource.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? [];
    for (const policy of inline) {
      for (const statement of statementsOf(policy.PolicyDocument)) {
        found.push({ policyId, roles: [{ Ref: policyId }], statement });
      }
    }
  }
  return found;
}

/** The statements of the policies attached to one role. */
export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  return identityStatements(template)
    .filter(({ roles }) =>
      roles.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })),
    )
    .map(({ statement }) => statement);
}

export function resourcePolicyStatements(
  template: Template,
  type: 'AWS::S3::BucketPolicy' | 'AWS::SQS::QueuePolicy' | 'AWS::KMS::Key',
): {
  readonly policyId: string;
  readonly properties: Record<string, unknown>;
  readonly statement: PolicyStatementJson;
}[] {
  const key = type === 'AWS::KMS::Key' ? 'KeyPolicy' : 'PolicyDocument';
  return resourcesOfType(template, type).flatMap(([policyId, resource]) => {
    const properties = resource.Properties ?? {};
    return statementsOf(properties[key]).map((statement) => ({ policyId, properties, statement }));
  });
}

/** One resource of the template by logical id; fails the test if it is missing. */
export function resourceById(template: Template, logicalId: string): CfnResourceJson {
  const resources = (template.toJSON() as { Resources: Record<string, CfnResourceJson> }).Resources;
  const resource = resources[logicalId];
  if (resource === undefined) throw new Error(`no resource ${logicalId} in the template`);
  return resource;
}

export const propertiesOf = (template: Template, logicalId: string): Record<string, unknown> =>
  resourceById(template, logicalId).Properties ?? {};

/** The properties of the alarm that fires as soon as the dead-letter queue holds a message. */
export const deadLetterAlarm = (deadLetterQueueLogicalId: string) => ({
  Namespace: 'AWS/SQS',
  MetricName: 'ApproximateNumberOfMessagesVisible',
  Dimensions: [{ Name: 'QueueName', Value: getAtt(deadLetterQueueLogicalId, 'QueueName') }],
  ComparisonOperator: 'GreaterThanThreshold',
  Threshold: 0,
});
