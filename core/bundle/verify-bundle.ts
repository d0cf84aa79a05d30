/**
 * verifyBundle: the one verification path of an evidence bundle, shared by the CLI and a
 * browser page. Checks, in order (docs/FORMAT.md §Verification):
 *
 *   bundle.schema      the JSON is a bundle (BUNDLE_MALFORMED); nothing else runs otherwise
 *   checkpoint         signed by BOTH trusted parties, trusted origin (CHECKPOINT_*)
 *   items.order        strictly increasing seq (CHAIN_DUPLICATE / BUNDLE_MALFORMED)
 *   record.hash        each recordHash recomputes (RECORD_HASH_MISMATCH)
 *   record.facts       each depositId recomputes (DEPOSIT_ID_MISMATCH); seq 0 and adjacent
 *                      items link (CHAIN_LINK_MISMATCH), whoever signed them
 *   record.signatures  each record's two signatures, trusted keys (SIGNATURE_* / UNTRUSTED_KEY)
 *   record.inclusion   each proof leads to the checkpoint root (INCLUSION_PROOF_INVALID,
 *                      TREE_SIZE_INVALID, ROOT_MISMATCH); skipped if the checkpoint failed
 *   timestamp          the token, if any, covers the note (TIMESTAMP_INVALID / _MISMATCH)
 *   evidence.digest    with a file digest given: an item recorded it (EVIDENCE_DIGEST_MISMATCH)
 *
 * Every check runs (except as noted) so `checks` lists all failures; `firstFailure` is the
 * first in this order.
 */
import { boundedAll } from '../bounded-all';
import type { Checkpoint } from '../checkpoint/checkpoint';
import { base64Decode, utf8Encode } from '../encoding';
import { isLedgerError, LedgerError } from '../errors';
import { VERIFY_CONCURRENCY } from '../ledger-verification';
import type { Sha256 } from '../ports/sha256';
import type { SignatureVerifier } from '../ports/signature-verifier';
import { parseStrictJson } from '../strict-json';
import { bundleSchema, type BundleItem, type EvidenceBundle } from './bundle-schema';
import { verifyBundleCheckpoint } from './bundle-checkpoint';
import {
  bundleReport,
  failed,
  passed,
  runCheck,
  type BundleCheck,
  type BundleCheckId,
  type BundleReport,
} from './bundle-report';
import { matchEvidence, type EvidenceDigest } from './evidence-check';
import {
  checkInclusion,
  checkItemOrder,
  checkRecordFacts,
  checkRecordHash,
  checkRecordSignatures,
} from './item-checks';
import { verifyTimestampToken } from './timestamp-token';
import { recordApprovers, type TrustedKeys } from './trusted-keys';

export interface VerifyBundleOptions {
  /** SHA-256 (hex) and size of an evidence file that must be one of the items' deposits. */
  readonly evidence?: EvidenceDigest;
  /** Fail (TIMESTAMP_INVALID) when the bundle has no timestamp token. */
  readonly requireTimestamp?: boolean;
  /** How record signatures are checked; WebCrypto when absent (the CLI injects node:crypto). */
  readonly signatureVerifier?: SignatureVerifier;
  /** How records are hashed; noble when absent (the CLI injects node:crypto). */
  readonly sha256?: Sha256;
}

type ItemCheck = (item: BundleItem, index: number) => string | Promise<string>;

/** Runs `check` on every item, several at once (signature checks wait on a thread pool). */
function eachItem(bundle: EvidenceBundle, check: BundleCheckId, run: ItemCheck) {
  return boundedAll([...bundle.items.keys()], VERIFY_CONCURRENCY, (itemIndex) => {
    const item = bundle.items[itemIndex]!;
    return runCheck(check, { itemIndex, seq: item.record.seq }, () => run(item, itemIndex));
  });
}

async function checkpointCheck(bundle: EvidenceBundle, trusted: TrustedKeys) {
  try {
    const checkpoint = await verifyBundleCheckpoint(bundle, trusted);
    const message = `co-signed by both parties: ${checkpoint.origin}, size ${checkpoint.treeSize}`;
    return { checkpoint, check: passed('checkpoint', message) };
  } catch (error) {
    if (!isLedgerError(error)) throw error;
    return { checkpoint: undefined, check: failed('checkpoint', error.code, error.message) };
  }
}

function decodeToken(base64: string): Uint8Array {
  try {
    return base64Decode(base64);
  } catch (cause) {
    throw new LedgerError('TIMESTAMP_INVALID', 'timestamp token is not base64', {}, { cause });
  }
}

async function timestampChecks(bundle: EvidenceBundle, trusted: TrustedKeys, required: boolean) {
  const { note, timestampToken } = bundle.checkpoint;
  if (timestampToken === undefined) {
    return required
      ? [failed('timestamp', 'TIMESTAMP_INVALID', 'bundle has no timestamp token')]
      : [];
  }
  const check = await runCheck('timestamp', {}, async () => {
    const { genTime, tsa } = await verifyTimestampToken(
      decodeToken(timestampToken),
      utf8Encode(note),
      trusted.tsa,
    );
    return `checkpoint note time-stamped at ${genTime} by ${tsa}`;
  });
  return [check];
}

async function itemChecks(
  bundle: EvidenceBundle,
  trusted: TrustedKeys,
  options: VerifyBundleOptions,
  checkpoint?: Checkpoint,
) {
  const { signatureVerifier: verifier, sha256 } = options;
  const approvers = { ...recordApprovers(trusted), ...(verifier ? { verifier } : {}) };
  return [
    ...(await eachItem(bundle, 'items.order', (item, i) =>
      checkItemOrder(item, bundle.items[i - 1]),
    )),
    ...(await eachItem(bundle, 'record.hash', (item) => checkRecordHash(item, sha256))),
    ...(await eachItem(bundle, 'record.facts', (item, i) =>
      checkRecordFacts(item, bundle.items[i - 1], sha256),
    )),
    ...(await eachItem(bundle, 'record.signatures', (item) =>
      checkRecordSignatures(item, approvers),
    )),
    ...(checkpoint
      ? await eachItem(bundle, 'record.inclusion', (item) =>
          checkInclusion(item, checkpoint, sha256),
        )
      : []),
  ];
}

function evidenceChecks(bundle: EvidenceBundle, evidence?: EvidenceDigest): Promise<BundleCheck[]> {
  if (evidence === undefined) return Promise.resolve([]);
  return runCheck('evidence.digest', {}, () => {
    const index = matchEvidence(bundle.items, evidence);
    return `evidence file is the deposit of item ${index} (seq ${bundle.items[index]!.record.seq})`;
  }).then((check) => [check]);
}

/** Verifies `input` (parsed JSON, attacker-controlled) against the user's trusted keys. */
export async function verifyBundle(
  input: unknown,
  trusted: TrustedKeys,
  options: VerifyBundleOptions = {},
): Promise<BundleReport> {
  const parsed = bundleSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `at '${issue.path.map(String).join('.')}': ${issue.message}` : '';
    return bundleReport([failed('bundle.schema', 'BUNDLE_MALFORMED', `not a v1 bundle ${where}`)]);
  }
  const bundle = parsed.data;
  const { checkpoint, check } = await checkpointCheck(bundle, trusted);
  return bundleReport([
    passed('bundle.schema', `bundle with ${bundle.items.length} item(s)`),
    check,
    ...(await itemChecks(bundle, trusted, options, checkpoint)),
    ...(await timestampChecks(bundle, trusted, options.requireTimestamp ?? false)),
    ...(await evidenceChecks(bundle, options.evidence)),
  ]);
}

/**
 * Verifies a bundle file as it was read: its bytes (or text), parsed strictly (one reading
 * only: no duplicate member names, integers in plain decimal, valid UTF-8, no lone
 * surrogates; core/strict-json.ts), then verifyBundle. A file that is not strict JSON fails
 * `bundle.schema` with BUNDLE_MALFORMED. Prefer this to JSON.parse + verifyBundle.
 */
export async function verifyBundleFile(
  file: Uint8Array | string,
  trusted: TrustedKeys,
  options: VerifyBundleOptions = {},
): Promise<BundleReport> {
  let input: unknown;
  try {
    input = parseStrictJson(file, { code: 'BUNDLE_MALFORMED', what: 'bundle' });
  } catch (error) {
    if (!isLedgerError(error)) throw error;
    return bundleReport([failed('bundle.schema', error.code, error.message)]);
  }
  return verifyBundle(input, trusted, options);
}
