/**
 * Inputs the contract suites write: deposits with fresh coordinates (so a suite can share a
 * table with other tests), approved as the signers would, and schema-valid stored states.
 */
import { randomBytes } from 'node:crypto';
import {
  registered,
  withAgencySignature,
  withCustodianSignature,
  type BothSignatures,
  type PendingAppend,
} from '../../core/pipeline/deposit-state';
import { depositIdFor } from '../../core/deposit-id';
import type { DepositWriter } from '../../core/ports/deposits';
import type { Deposit, PartySignature } from '../../core/types';
import { placeholderSignatures, sampleDeposit } from '../unit/core/fixtures';

export const AT = new Date('2026-11-30T06:00:00.000Z');

export const uniqueName = (label: string): string => `${label}-${randomBytes(6).toString('hex')}`;

/** A deposit no other test uses. */
export function freshDeposit(label = 'contract'): Deposit {
  return sampleDeposit(`${uniqueName(label)}/exhibit.bin`);
}

/**
 * A deposit near the largest the schema takes (a long key and version id, 2 KiB of case
 * metadata): about 4.6 KB per record, so a few hundred make more than a 1 MB Query page.
 */
export function largeDeposit(label = 'large'): Deposit {
  const coordinates = {
    bucket: 'evidence-bucket',
    key: `${uniqueName(label)}/${'k'.repeat(950)}`,
    versionId: 'v'.repeat(1000),
  };
  return {
    ...sampleDeposit(),
    ...coordinates,
    depositId: depositIdFor(coordinates),
    uploader: { principalId: `AWS:${'P'.repeat(500)}`, sourceIp: '203.0.113.7' },
    caseMetadata: { note: 'x'.repeat(2000) },
  };
}

export const [AGENCY_SIGNATURE, CUSTODIAN_SIGNATURE] = placeholderSignatures() as [
  PartySignature,
  PartySignature,
];

/** Writes `deposit` to the mailbox and takes it through both signatures: PENDING_APPEND. */
export async function approvedDeposit(
  deposits: DepositWriter,
  deposit: Deposit,
  signatures: BothSignatures = { agency: AGENCY_SIGNATURE, custodian: CUSTODIAN_SIGNATURE },
): Promise<PendingAppend> {
  const pending = registered(deposit);
  await deposits.create(pending, AT);
  const agencySigned = withAgencySignature(pending, deposit, signatures.agency);
  await deposits.addSignature({ from: pending, to: agencySigned }, AT);
  const approved = withCustodianSignature(agencySigned, signatures.custodian);
  await deposits.addSignature({ from: agencySigned, to: approved }, AT);
  return approved;
}

/** 64 lower-case hex digits made of `digit`. */
export const hex64 = (digit: number): string => (digit % 16).toString(16).repeat(64);
