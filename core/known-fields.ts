/**
 * Copies of data-model objects that hold exactly the fields core/types.ts defines.
 *
 * TypeScript's structural typing lets any object with extra properties pass as a `Deposit`
 * or a `LedgerRecordBody` (a `LedgerRecord` *is* a body, recordHash included; a DynamoDB item
 * may carry index keys). Whatever is hashed or signed is built through these functions, so
 * extra properties are ignored and never change a hash or a signature. Rejecting them is the
 * job of the schemas (schemas.ts) at the trust boundary.
 */
import type { Deposit, LedgerRecordBody, PartySignature, Uploader } from './types';

export function pickUploader(uploader: Uploader): Uploader {
  return { principalId: uploader.principalId, sourceIp: uploader.sourceIp };
}

export function pickDeposit(deposit: Deposit): Deposit {
  return {
    depositId: deposit.depositId,
    bucket: deposit.bucket,
    key: deposit.key,
    versionId: deposit.versionId,
    size: deposit.size,
    sha256: deposit.sha256,
    uploadedAt: deposit.uploadedAt,
    uploader: pickUploader(deposit.uploader),
    // Every own key of the metadata is data; copying also drops any unusual prototype.
    caseMetadata: Object.fromEntries(Object.entries(deposit.caseMetadata)),
  };
}

export function pickSignature(signature: PartySignature): PartySignature {
  return {
    role: signature.role,
    keyId: signature.keyId,
    algorithm: signature.algorithm,
    signature: signature.signature,
  };
}

export function pickRecordBody(body: LedgerRecordBody): LedgerRecordBody {
  return {
    type: body.type,
    seq: body.seq,
    prevHash: body.prevHash,
    sequencedAt: body.sequencedAt,
    deposit: pickDeposit(body.deposit),
    signatures: body.signatures.map(pickSignature),
  };
}
