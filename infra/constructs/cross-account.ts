import { AccountPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/** Roles of another account that a resource policy lets in, named by ARN. */
export interface CrossAccountRoles {
  readonly account: string;
  readonly roleArns: readonly string[];
}

export interface CrossAccountStatementProps {
  readonly sid: string;
  readonly roles: CrossAccountRoles;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Record<string, Record<string, unknown>> | undefined;
}

/**
 * A resource-policy Allow for exactly the named roles of another account. The principal is
 * that account and `aws:PrincipalArn` must be one of the roles: unlike a role-ARN principal,
 * this does not need the role to exist yet (the other account's stack may be deployed
 * later) and keeps working if the role is re-created; the effect is the same set of roles.
 * The other account must still allow the action in the role's identity policy.
 */
export function crossAccountStatement(props: CrossAccountStatementProps): PolicyStatement {
  return new PolicyStatement({
    sid: props.sid,
    principals: [new AccountPrincipal(props.roles.account)],
    actions: [...props.actions],
    resources: [...props.resources],
    conditions: {
      ...props.conditions,
      ArnEquals: { 'aws:PrincipalArn': [...props.roles.roleArns] },
    },
  });
}
