import { ArnPrincipal, Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { CosignerEnvName, CosignerFunctionDefinition } from '../../definitions/cosigner.js';

import {
  LedgerFunction,
  ledgerFunctionProps,
  type LedgerFunctionOptions,
} from './ledger-function.js';
import type { TableTarget } from './ledger-table.js';
import type { Party, PartySigningKey } from './party-signing-key.js';
import { ENV } from '../../definitions/environment.js';

/** The state item of a co-signer in its party's table, and the attributes it writes there. */
export const COSIGNER_STATE_KEY = 'cosigner';
const COSIGNER_STATE_ATTRIBUTES = ['pk', 'stateJson', 'treeSize', 'updatedAt'] as const;
const COSIGNED_SEQ_ATTRIBUTES = ['pk', 'cosignedSeq'] as const;

/** What the anchor needs of a co-signer: a name (or ARN) to invoke, and the right to. */
export interface CosignerEndpoint {
  readonly functionName: string;
  grantInvoke(grantee: IGrantable): void;
}

/** A co-signer in another account (two-account mode), named by the ARN built from its fixed name. */
export class RemoteCosigner implements CosignerEndpoint {
  constructor(readonly functionName: string) {}

  /** The identity-policy half; the function's permission in its account is the other. */
  grantInvoke(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: ['lambda:InvokeFunction'],
      resourceArns: [this.functionName],
    });
  }
}

export interface CosignerFunctionProps extends LedgerFunctionOptions {
  readonly definition: CosignerFunctionDefinition;
  readonly partyTable: TableTarget;
  /** The ledger table; in two-account mode the custodian's co-signer names it by ARN. */
  readonly ledger: TableTarget;
  readonly signingKeys: Readonly<Record<Party, PartySigningKey>>;
  readonly origin: string;
}

/**
 * A party's checkpoint co-signer (a witness in the C2SP tlog-witness sense): invoked by the
 * anchor with a proposed checkpoint, it verifies it against the last checkpoint it co-signed
 * (kept in its party's table), reads and checks the new records itself, and only then signs
 * with its party's key. Its role reads the ledger, reads and writes its party's table
 * (only the co-signer item), signs with its own party's key and reads both public keys.
 */
export class CosignerFunction extends LedgerFunction<CosignerEnvName> implements CosignerEndpoint {
  readonly party: Party;

  constructor(scope: Construct, id: string, props: CosignerFunctionProps) {
    super(
      scope,
      id,
      ledgerFunctionProps({ ...props.definition, env: props.definition.requiredEnv }, props),
    );
    this.party = props.definition.party;
    this.bindSetting(ENV.cosignerRole, this.party);
    // GetItem: its own state and what its party attested; writes: only its state's attributes.
    this.bindTable(ENV.partyTable, props.partyTable, ['dynamodb:GetItem', 'dynamodb:PutItem'], {
      attributes: COSIGNER_STATE_ATTRIBUTES,
      partitionKeys: [COSIGNER_STATE_KEY],
    });
    // Where it co-signed each deposit, on its party's signature items: one attribute, set once.
    props.partyTable.grantItemActions(this.role, ['dynamodb:UpdateItem'], {
      attributes: COSIGNED_SEQ_ATTRIBUTES,
      partitionKeys: ['signed#*'],
    });
    this.bindTable(ENV.ledgerTable, props.ledger, ['dynamodb:GetItem', 'dynamodb:Query']);
    const own = props.signingKeys[this.party];
    const other = props.signingKeys[this.party === 'agency' ? 'custodian' : 'agency'];
    // Its own key signs notes and names its public key; the other party's is only verified.
    const ownEnv = this.party === 'agency' ? ENV.agencyKeyId : ENV.custodianKeyId;
    const otherEnv = this.party === 'agency' ? ENV.custodianKeyId : ENV.agencyKeyId;
    this.bindNoteSigningKey(ownEnv, own);
    this.bindVerifyingKey(otherEnv, other);
    this.bindSetting(ENV.origin, props.origin);
  }

  /** lambda:InvokeFunction on this co-signer (unqualified: no version wildcard), for the anchor. */
  grantInvoke(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: ['lambda:InvokeFunction'],
      resourceArns: [this.function.functionArn],
    });
  }

  /**
   * The function-policy half for one role of another account (two-account mode: the
   * operator's anchor). That role exists by then: the operator's stack is deployed first.
   */
  allowInvokeBy(roleArn: string): void {
    this.function.addPermission('InvokedByOperatorAnchor', {
      principal: new ArnPrincipal(roleArn),
      action: 'lambda:InvokeFunction',
    });
  }
}
