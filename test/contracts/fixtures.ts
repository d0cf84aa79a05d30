/**
 * Inputs the contract suites write: deposits with fresh coordinates (so a suite can share a
 * table with other tests), approved as the signers would, and schema-valid stored states.
 */
import { randomBytes } from 'node:crypto';
import {
  registered,
  withAgencySignature,
  withCustodianSignature,
  type PendingAppend,
} from '../../core/pipeline/deposit-state';
import type { DepositWriter } from '../../core/ports/deposits';
import type { Deposit, PartySignature } from '../../core/types';
import { placeholderSignatures, sampleDeposit } from '../unit/core/fixtures';

export const AT = new Date('2026-11-30T06:00:00.000Z');

export const uniqueName = (label: string): string =>
  `${label}-${randomBytes(6).toString('hex')}`;

/** A deposit no other test uses; `metadataBytes` pads its case metadata (S3 allows 2 KiB). */
export function freshDeposit(label = 'contract', metadataBytes = 0): Deposit {
  const deposit = sampleDeposit(`${uniqueName(label)}/exhibit.bin`);
  return metadataBytes > 0
    ? { ...deposit, caseMetadata: { note: 'x'.repeat(metadataBytes) } }
    : deposit;
}

export const [AGENCY_SIGNATURE, CUSTODIAN_SIGNATURE] = placeholderSignatures() as [
  PartySignature,
  PartySignature,
];

/** Writes `deposit` to the mailbox and takes it through both signatures: PENDING_APPEND. */
export async function approvedDeposit(
  deposits: DepositWriter,
  deposit: Deposit,
): Promise<PendingAppend> {
  const pending = registered(deposit);
  await deposits.create(pending, AT);
  const agencySigned = withAgencySignature(pending, deposit, AGENCY_SIGNATURE);
  await deposits.addSignature({ from: pending, to: agencySigned }, AT);
  const approved = withCustodianSignature(agencySigned, CUSTODIAN_SIGNATURE);
  await deposits.addSignature({ from: agencySigned, to: approved }, AT);
  return approved;
}

/** 64 lower-case hex digits made of `digit`. */
export const hex64 = (digit: number): string => (digit % 16).toString(16).repeat(64);
