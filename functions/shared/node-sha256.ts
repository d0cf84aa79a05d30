/**
 * The core's Sha256 port on node:crypto: OpenSSL's SHA-256 (SHA-NI where the CPU has it),
 * through the one-shot crypto.hash. Used wherever records are verified in Node (the CLI's
 * monitor and verify-bundle, the auditor, the bench); browsers keep the core's noble default.
 * The text form hashes a string as Node encodes it (UTF-8) and returns hex directly: no
 * TextEncoder copy, no domain-prefix copy, no hex loop in JavaScript.
 * scripts/bench/verify-rate.ts measures what it saves per record.
 */
import { hash } from 'node:crypto';
import type { Sha256 } from '../../core/ports/sha256';

export const nodeSha256: Sha256 = Object.assign(
  (bytes: Uint8Array): Uint8Array => {
    const digest = hash('sha256', bytes, 'buffer');
    // A plain Uint8Array view, as the core's other implementation returns (not a Buffer).
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  },
  { hexOfText: (text: string): string => hash('sha256', text, 'hex') },
);
