/**
 * What must hold of a simulated deployment. `checkSafety` runs after every step: the chain
 * (gapless, linked, hashes recompute, never rewritten), every record (its deposit once, both
 * signatures valid over the object's true facts), every published checkpoint (co-signed by
 * both parties, its root the ledger's, consistent with the one before) and each co-signer's
 * state. `checkQuiescence` runs when nothing is left to do: every object version ended as
 * exactly one record or one FAILED deposit with a code (or waits in a DLQ for an operator),
 * no message is left undelivered, no DLQ message stands for a deposit that settled, and every
 * record's mailbox item says APPENDED at its seq.
 */
import type { AnchorState } from '../../core/anchor/ports';
import { noteVerifierKey, partyNoteKeyName } from '../../core/checkpoint/note-key';
import { verifyCheckpoint } from '../../core/checkpoint/signed-checkpoint';
import { canonicalJson } from '../../core/canonical-json';
import { depositIdFor } from '../../core/deposit-id';
import { bytesToHex, hexToBytes } from '../../core/encoding';
import { isLedgerError } from '../../core/errors';
import { verifyConsistency } from '../../core/merkle/consistency';
import { recordLeafHash } from '../../core/merkle/hasher';
import { treeRoot } from '../../core/merkle/tree';
import { verifyApprovals } from '../../core/party-signatures';
import { recordBody, recordHash } from '../../core/record';
import { pickDeposit } from '../../core/known-fields';
import { GENESIS_PREV_HASH, PARTY_ROLES, type Deposit, type LedgerRecord } from '../../core/types';
import type { DeadLetter } from './sim-queue';
import { shortId } from './trace';
import { UPLOADER, type TrueVersion } from './workload';
import { ORIGIN, type World } from './world';

export interface Violation {
  readonly invariant: string;
  readonly message: string;
  /** Deposit ids (or other ids) the violation concerns: the trace is cut down to them. */
  readonly about: readonly string[];
}

const violation = (
  invariant: string,
  message: string,
  about: readonly string[] = [],
): Violation => ({
  invariant,
  message,
  about: about.map((id) => (/^[0-9a-f]{64}$/.test(id) ? shortId(id) : id)),
});

/** What the checks remember between steps, so each record and checkpoint is verified once. */
export class InvariantMemory {
  readonly seen = new Map<number, string>();
  readonly verifiedRecords = new Set<string>();
  anchorsChecked = 0;
  readonly truthById = new Map<string, TrueVersion>();

  remember(version: TrueVersion): void {
    this.truthById.set(depositIdFor(version), version);
  }
}

function checkChain(records: readonly LedgerRecord[], memory: InvariantMemory): Violation | null {
  const ids = new Set<string>();
  for (const [index, record] of records.entries()) {
    const id = record.deposit.depositId;
    if (record.seq !== index)
      return violation('seq-gapless', `record at position ${index} has seq ${record.seq}`, [id]);
    const prev = index === 0 ? GENESIS_PREV_HASH : records[index - 1]!.recordHash;
    if (record.prevHash !== prev)
      return violation('chain-linked', `record ${index} does not link to record ${index - 1}`, [
        id,
      ]);
    const before = memory.seen.get(index);
    // A record already checked at this seq with this hash is not hashed again.
    if (before !== record.recordHash && recordHash(recordBody(record)) !== record.recordHash)
      return violation('record-hash', `record ${index}'s hash does not recompute`, [id]);
    if (before !== undefined && before !== record.recordHash)
      return violation('no-fork', `record ${index} was replaced by another record`, [id]);
    if (ids.has(id))
      return violation('recorded-once', `deposit recorded twice (seq ${index})`, [id]);
    ids.add(id);
  }
  return null;
}

/** The record's facts against what was really put, and both signatures over them. */
async function checkRecord(
  world: World,
  record: LedgerRecord,
  memory: InvariantMemory,
): Promise<Violation | null> {
  const { deposit } = record;
  const truth = memory.truthById.get(deposit.depositId);
  const expected: Deposit | undefined = truth && {
    depositId: deposit.depositId,
    bucket: truth.bucket,
    key: truth.key,
    versionId: truth.versionId,
    size: truth.size,
    sha256: truth.sha256,
    uploadedAt: truth.lastModified,
    uploader: UPLOADER,
    caseMetadata: truth.metadata,
  };
  const actual = pickDeposit(deposit);
  if (!expected || canonicalJson(expected) !== canonicalJson(actual))
    return violation('true-facts', `record ${record.seq} states facts the object does not have`, [
      deposit.depositId,
    ]);
  try {
    await verifyApprovals(deposit, record.signatures, world.trusted);
  } catch (error) {
    const code = isLedgerError(error) ? error.code : String(error);
    return violation(
      'both-signatures',
      `record ${record.seq} is not signed by both parties: ${code}`,
      [deposit.depositId],
    );
  }
  return null;
}

const rootOf = (records: readonly LedgerRecord[], size: number) =>
  bytesToHex(treeRoot(records.slice(0, size).map((r) => recordLeafHash(r.recordHash))));

async function checkAnchor(
  world: World,
  anchor: AnchorState,
  previous: AnchorState | null,
  records: readonly LedgerRecord[],
): Promise<Violation | null> {
  const where = `checkpoint ${anchor.treeSize}`;
  if (anchor.treeSize > records.length || rootOf(records, anchor.treeSize) !== anchor.rootHash)
    return violation('checkpoint-root', `${where} does not commit to the ledger's records`);
  const verifiers = PARTY_ROLES.map((role) => ({
    ...noteVerifierKey(partyNoteKeyName(ORIGIN, role), world.signers[role].publicKeySpki()),
    role,
  }));
  try {
    await verifyCheckpoint(anchor.checkpointNote, verifiers, ORIGIN);
  } catch (error) {
    const code = isLedgerError(error) ? error.code : String(error);
    return violation('checkpoint-cosigned', `${where} is not co-signed by both parties: ${code}`);
  }
  const previousSize = previous?.treeSize ?? 0;
  if (anchor.treeSize <= previousSize || anchor.previousTreeSize !== previousSize)
    return violation(
      'checkpoint-consistent',
      `${where} does not extend checkpoint ${previousSize}`,
    );
  try {
    verifyConsistency({
      firstSize: previousSize,
      secondSize: anchor.treeSize,
      firstRoot: hexToBytes(previous?.rootHash ?? rootOf([], 0)),
      secondRoot: hexToBytes(anchor.rootHash),
      proof: anchor.consistencyProof.map(hexToBytes),
    });
  } catch (error) {
    const code = isLedgerError(error) ? error.code : String(error);
    return violation(
      'checkpoint-consistent',
      `${where}'s proof from ${previousSize} fails: ${code}`,
    );
  }
  return null;
}

export async function checkSafety(
  world: World,
  memory: InvariantMemory,
): Promise<Violation | null> {
  const records = await world.ledger.all();
  const chain = checkChain(records, memory);
  if (chain) return chain;
  const head = await world.ledger.head();
  const last = records.at(-1);
  if (head.nextSeq !== records.length || head.lastHash !== (last?.recordHash ?? GENESIS_PREV_HASH))
    return violation(
      'head-matches',
      `head ${head.nextSeq} does not match ${records.length} records`,
    );
  for (const record of records) {
    memory.seen.set(record.seq, record.recordHash);
    if (memory.verifiedRecords.has(record.recordHash)) continue;
    const wrong = await checkRecord(world, record, memory);
    if (wrong) return wrong;
    memory.verifiedRecords.add(record.recordHash);
  }
  const published = world.anchors.published;
  for (; memory.anchorsChecked < published.length; memory.anchorsChecked++) {
    const i = memory.anchorsChecked;
    const wrong = await checkAnchor(world, published[i]!, published[i - 1] ?? null, records);
    if (wrong) return wrong;
  }
  for (const role of PARTY_ROLES) {
    const state = world.cosigners[role].state;
    if (
      state &&
      (state.treeSize > records.length || rootOf(records, state.treeSize) !== state.rootHash)
    )
      return violation(
        'cosigner-state',
        `the ${role} co-signer holds a root the ledger does not have`,
      );
  }
  return null;
}

/** Deposit ids a dead-lettered message stands for (a versionless event: every version of its key). */
function deadLetterDeposits(body: string, truth: readonly TrueVersion[]): string[] {
  try {
    const json = JSON.parse(body) as {
      depositId?: string;
      Records?: { s3: { bucket: { name: string }; object: { key: string; versionId?: string } } }[];
    };
    if (json.depositId) return [json.depositId];
    return (json.Records ?? []).flatMap(({ s3 }) =>
      s3.object.versionId
        ? [
            depositIdFor({
              bucket: s3.bucket.name,
              key: s3.object.key,
              versionId: s3.object.versionId,
            }),
          ]
        : truth.filter((v) => v.key === s3.object.key).map((v) => depositIdFor(v)),
    );
  } catch {
    return [];
  }
}

export async function checkQuiescence(
  world: World,
  truth: readonly TrueVersion[],
): Promise<Violation | null> {
  for (const queue of world.queueList()) {
    if (queue.depth > 0)
      return violation('nothing-stuck', `${queue.name} still holds ${queue.depth} messages`);
  }
  const records = await world.ledger.all();
  const recordOf = new Map(records.map((r) => [r.deposit.depositId, r]));
  const deadLettered = new Set(
    world
      .queueList()
      .flatMap((q) =>
        q.deadLetters.flatMap((d: DeadLetter) => deadLetterDeposits(d.message.body, truth)),
      ),
  );
  for (const version of truth) {
    const id = depositIdFor(version);
    const item = world.deposits.fields(id);
    const record = recordOf.get(id);
    if (record) {
      if (
        item?.status !== 'APPENDED' ||
        item.seq !== record.seq ||
        item.recordHash !== record.recordHash
      )
        return violation(
          'mailbox-matches',
          `deposit recorded at seq ${record.seq} is ${item?.status ?? 'missing'} in the mailbox`,
          [id],
        );
      continue;
    }
    if (item?.status === 'FAILED' && item.failure?.code) continue;
    if (deadLettered.has(id)) continue;
    return violation(
      'every-version-ends',
      `version ${version.versionId} of ${version.key} ended ${item?.status ?? 'without a deposit'}`,
      [id, version.key],
    );
  }
  for (const queue of world.queueList()) {
    for (const { message, reason } of queue.deadLetters) {
      const ids = deadLetterDeposits(message.body, truth);
      const settled =
        ids.length > 0 &&
        ids.every((id) => recordOf.has(id) || world.deposits.fields(id)?.status === 'FAILED');
      if (settled)
        return violation(
          'dead-letters-mean-work',
          `${message.id} was dead-lettered (${reason}) though its deposit settled`,
          ids,
        );
    }
  }
  const latest = world.anchors.published.at(-1);
  if ((latest?.treeSize ?? 0) !== records.length)
    return violation(
      'all-anchored',
      `the last checkpoint covers ${latest?.treeSize ?? 0} of ${records.length} records`,
    );
  return null;
}
