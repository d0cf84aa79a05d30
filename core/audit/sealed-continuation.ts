/**
 * Continuation state the auditor hands to its caller (a verifyLedger cursor, a verifyEvidence
 * hashing state) comes back from that caller, who could forge it: a cursor that skips records
 * or a hash state of other bytes would make the auditor answer "valid". So the auditor seals
 * the state with a MAC under a key only its own role may use (KMS HMAC_256, key policy in
 * infra/constructs/continuation-key.ts), bound to the action and the request parameters it
 * continues, and opens only tokens whose MAC verifies for the request in hand.
 *
 * The MAC covers SHA-256 of the RFC 8785 canonical JSON of {purpose, action, request, state}
 * (KMS MACs at most 4 KiB, and a cursor's Merkle frontier alone can exceed that); the token
 * is base64 of the canonical JSON of {action, request, state, mac}. `request` in the token is
 * only for the diagnosis: the MAC is always checked against the request the caller sent now.
 */
import { z } from 'zod';
import { canonicalJson } from '../canonical-json';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../encoding';
import { LedgerError } from '../errors';
import { sha256 } from '../hashing';
import { parseWith } from '../schemas';

/** The auditor's MAC key: HMAC-SHA-256 in KMS, usable by the auditor role only. */
export interface ContinuationSealer {
  seal(message: Uint8Array): Promise<Uint8Array>;
  /** True only when `mac` is this key's MAC over `message`. */
  verify(message: Uint8Array, mac: Uint8Array): Promise<boolean>;
}

/** What a continuation continues: the action and the request parameters that define its work. */
export interface ContinuationBinding {
  readonly action: 'verifyLedger' | 'verifyEvidence';
  readonly request: Readonly<Record<string, string | number | null>>;
}

/** Domain separation: these MACs mean nothing anywhere else, and a new format gets a new label. */
const PURPOSE = 'evidence-ledger/audit-continuation/v1';

/** Request schemas bound tokens to 16 KiB; HMAC-SHA-256 is 32 bytes. */
const envelopeSchema = z.strictObject({
  action: z.enum(['verifyLedger', 'verifyEvidence']),
  request: z.record(z.string().max(64), z.union([z.string().max(1024), z.number(), z.null()])),
  state: z.unknown(),
  mac: z.string().max(64),
});

function forged(
  reason: 'malformed' | 'other-request' | 'mac',
  message: string,
  cause?: unknown,
): LedgerError {
  return new LedgerError('AUDIT_CONTINUATION_FORGED', message, { reason }, { cause });
}

const NOT_ISSUED = 'continuation is not a token this auditor issued';

function macInput(binding: ContinuationBinding, state: unknown): Uint8Array {
  return sha256(
    utf8Encode(
      canonicalJson({ purpose: PURPOSE, action: binding.action, request: binding.request, state }),
    ),
  );
}

/** The opaque token the caller passes back to continue `binding` from `state`. */
export async function sealContinuation(
  sealer: ContinuationSealer,
  binding: ContinuationBinding,
  state: unknown,
): Promise<string> {
  const mac = await sealer.seal(macInput(binding, state));
  const envelope = {
    action: binding.action,
    request: binding.request,
    state,
    mac: base64Encode(mac),
  };
  return base64Encode(utf8Encode(canonicalJson(envelope)));
}

function envelopeOf(token: string): z.infer<typeof envelopeSchema> {
  try {
    return envelopeSchema.parse(JSON.parse(utf8Decode(base64Decode(token))));
  } catch (cause) {
    throw forged('malformed', NOT_ISSUED, cause);
  }
}

/**
 * The state sealed in `token`, if the auditor sealed it for exactly `binding`; otherwise
 * AUDIT_CONTINUATION_FORGED (details.reason: malformed, other-request or mac).
 */
export async function openContinuation<T>(
  sealer: ContinuationSealer,
  binding: ContinuationBinding,
  token: string,
  stateSchema: z.ZodType<T>,
): Promise<T> {
  const envelope = envelopeOf(token);
  if (
    canonicalJson({ action: envelope.action, request: envelope.request }) !==
    canonicalJson({ action: binding.action, request: binding.request })
  ) {
    throw forged('other-request', `continuation was issued for another ${binding.action} request`);
  }
  let mac: Uint8Array;
  let message: Uint8Array;
  try {
    mac = base64Decode(envelope.mac);
    message = macInput(binding, envelope.state);
  } catch (cause) {
    throw forged('malformed', NOT_ISSUED, cause);
  }
  if (!(await sealer.verify(message, mac)))
    throw forged('mac', 'continuation was not sealed by this auditor');
  // Sealed by us, so well-formed; parsed anyway, as everything read back is.
  try {
    return parseWith(stateSchema, envelope.state, `${binding.action} continuation`);
  } catch (cause) {
    throw new LedgerError(
      'AUDIT_CONTINUATION_FORGED',
      'continuation state is not one this auditor seals',
      { reason: 'state' },
      { cause },
    );
  }
}
