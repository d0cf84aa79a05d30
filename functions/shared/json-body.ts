import { LedgerError } from '../../core/errors';

/** Parses a message body as JSON; a body that is not JSON is an INVALID_EVENT naming `what`. */
export function parseJsonBody(body: string, what: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (cause) {
    throw new LedgerError('INVALID_EVENT', `${what} is not JSON`, {}, { cause });
  }
}
