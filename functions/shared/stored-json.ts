/**
 * Items read back from the project's own tables are parsed, never trusted: whoever can write
 * a table can put anything there. An item that is not JSON or that its schema refuses is a
 * storage-integrity error naming the item, not INVALID_INPUT (no caller sent it).
 */
import {
  isLedgerError,
  LedgerError,
  type LedgerErrorDetails,
  type StorageErrorCode,
} from '../../core/errors';

export interface StoredItem {
  /** What the item is, for the message ("anchor state", "ledger record"). */
  readonly what: string;
  readonly code: StorageErrorCode;
  /** The ids of the item: table, key, seq... */
  readonly details: LedgerErrorDetails;
}

/** `parse(JSON.parse(json))`, or `item.code` with the item's ids and the refusal as cause. */
export function parseStoredJson<T>(
  json: unknown,
  parse: (value: unknown) => T,
  item: StoredItem,
): T {
  if (typeof json !== 'string') {
    throw new LedgerError(item.code, `stored ${item.what} has no JSON attribute`, item.details);
  }
  try {
    return parse(JSON.parse(json));
  } catch (cause) {
    if (!isLedgerError(cause) && !(cause instanceof SyntaxError)) throw cause;
    throw new LedgerError(
      item.code,
      `stored ${item.what} is corrupt: ${cause.message}`,
      item.details,
      { cause },
    );
  }
}
