/**
 * What the page does with the files the user chose, without touching the DOM: read the
 * trusted keys strictly, hash the evidence file as a stream, then run the core's
 * verifyBundleFile (strict JSON, then verifyBundle) — the code `evidence verify-bundle` runs.
 * The bundle is attacker-supplied, so the JSON files are size-capped before being read.
 */
import {
  bundleReport,
  bundleSchema,
  failed,
  parseTrustedKeysFile,
  verifyBundleFile,
  type BundleReport,
  type EvidenceDigest,
  type TrustedKeys,
} from '../../core/bundle';
import { isLedgerError, type LedgerErrorCode } from '../../core/errors';
import { parseStrictJson } from '../../core/strict-json';
import { digestEvidence, type DigestProgress } from './digest-evidence';
import { checkpointFacts, exhibitFacts, type ExhibitFacts, type Fact } from './exhibit-facts';

/** The cap of `evidence verify-bundle` (cli/read-inputs.ts): a 1000-item bundle is a few MiB. */
export const MAX_JSON_FILE_BYTES = 64 * 1024 * 1024;

export interface VerifierInputs {
  readonly bundle: Blob;
  readonly trustedKeys: Blob;
  readonly evidence?: Blob;
}

/** An input the page could not use: nothing was verified. */
export interface RefusedInput {
  readonly kind: 'refused';
  readonly what: 'trusted-keys file' | 'evidence file';
  readonly code?: LedgerErrorCode;
  readonly message: string;
}

export interface Verification {
  readonly kind: 'verified';
  readonly report: BundleReport;
  readonly evidence?: EvidenceDigest;
  /** Present when the bundle could be read (the `bundle.schema` check passed). */
  readonly exhibits?: readonly ExhibitFacts[];
  readonly checkpoint?: readonly Fact[];
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function readJson(file: Blob, what: string): Promise<Uint8Array> {
  if (file.size > MAX_JSON_FILE_BYTES) {
    throw new Error(`the ${what} is larger than ${MAX_JSON_FILE_BYTES} bytes`);
  }
  return new Uint8Array(await file.arrayBuffer());
}

async function trustedKeysFrom(file: Blob): Promise<TrustedKeys | RefusedInput> {
  try {
    return parseTrustedKeysFile(await readJson(file, 'trusted-keys file'));
  } catch (error) {
    const code = isLedgerError(error) ? { code: error.code } : {};
    return { kind: 'refused', what: 'trusted-keys file', ...code, message: reason(error) };
  }
}

async function reportFor(
  bytes: Uint8Array | Error,
  trusted: TrustedKeys,
  evidence?: EvidenceDigest,
) {
  // An unreadable bundle is reported like one that fails the schema, as the CLI does.
  if (bytes instanceof Error) {
    return bundleReport([failed('bundle.schema', 'BUNDLE_MALFORMED', bytes.message)]);
  }
  return verifyBundleFile(bytes, trusted, evidence ? { evidence } : {});
}

/** The facts of a bundle that passed `bundle.schema` (so this reading succeeds). */
function factsOf(bytes: Uint8Array) {
  const bundle = bundleSchema.parse(
    parseStrictJson(bytes, { code: 'BUNDLE_MALFORMED', what: 'bundle' }),
  );
  return { exhibits: exhibitFacts(bundle), checkpoint: checkpointFacts(bundle) };
}

export async function verifyFiles(
  inputs: VerifierInputs,
  onProgress?: DigestProgress,
): Promise<Verification | RefusedInput> {
  const trusted = await trustedKeysFrom(inputs.trustedKeys);
  if ('kind' in trusted) return trusted;
  let evidence: EvidenceDigest | undefined;
  try {
    evidence = inputs.evidence ? await digestEvidence(inputs.evidence, onProgress) : undefined;
  } catch (error) {
    return { kind: 'refused', what: 'evidence file', message: `cannot read it: ${reason(error)}` };
  }
  const bytes = await readJson(inputs.bundle, 'bundle').catch(
    (error: unknown) => new Error(reason(error)),
  );
  const report = await reportFor(bytes, trusted, evidence);
  const readable = !(bytes instanceof Error) && report.checks[0]?.ok === true;
  return {
    kind: 'verified',
    report,
    ...(evidence ? { evidence } : {}),
    ...(readable ? factsOf(bytes) : {}),
  };
}
