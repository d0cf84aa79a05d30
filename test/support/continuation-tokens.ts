/**
 * What a caller of the auditor can do with a continuation token it was given: decode it (it is
 * base64 JSON, opaque only by convention), edit it, and encode it again.
 */
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../../core/encoding';

/** Lambda with 15 s or less left: the auditor hashes one 8 MiB part and answers continueFrom. */
export const NO_TIME_LEFT = { getRemainingTimeInMillis: () => 0 };
/** Above the auditor's 8 MiB read part: such an object takes two invocations when time runs out. */
export const LARGE_OBJECT_BYTES = 9 * 1024 * 1024;

export interface ContinuationEnvelope {
  action: string;
  request: Record<string, unknown>;
  state: Record<string, unknown>;
  mac: string;
}

export function editToken(token: string, edit: (envelope: ContinuationEnvelope) => void): string {
  const envelope = JSON.parse(utf8Decode(base64Decode(token))) as ContinuationEnvelope;
  edit(envelope);
  return base64Encode(utf8Encode(JSON.stringify(envelope)));
}

/** A token with a MAC of the attacker's own making (it cannot use the auditor's key). */
export function withOwnMac(token: string, edit: (envelope: ContinuationEnvelope) => void): string {
  return editToken(token, (envelope) => {
    edit(envelope);
    envelope.mac = base64Encode(crypto.getRandomValues(new Uint8Array(32)));
  });
}
