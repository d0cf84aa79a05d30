/**
 * The anchor's port to a party's checkpoint co-signer (core/witness): the anchor proposes, the
 * party decides. The anchor holds no signing key of either party; a checkpoint exists only
 * when both co-signers, each against its own remembered state, have signed it.
 */
import type { PartyRole } from '../types';
import type { CosignRequest } from '../witness/cosign-request';

export interface CheckpointCosigner {
  readonly role: PartyRole;
  /** The signed-note key name of this party's checkpoint signatures. */
  readonly keyName: string;
  /** The party's public key (SPKI, DER), to check the line it returns. */
  readonly publicKeySpki: Uint8Array;
  /**
   * Asks the party to co-sign; resolves to its signature line ("— <name> <base64>"). Refusals
   * reject with the co-signer's LedgerError code (COSIGN_STALE_OLD_SIZE with details.treeSize
   * when the party holds another checkpoint than `request.oldSize`).
   */
  cosign(request: CosignRequest): Promise<string>;
}
