/**
 * The anchor's side of the tiled log (docs/FORMAT.md "The tiled log"): where the log stands,
 * and the objects for the records of a run, written before the checkpoint that commits to
 * them is published. The log's size is that of its `checkpoint` (0 without one): every
 * checkpoint the log holds had its objects written first, so the objects for that size exist.
 * A log behind the anchors table (a crash after publishing, or a ledger anchored before the
 * log existed) is caught up from there by the next run, with the same bytes where they exist.
 */
import { bytesToHex, utf8Decode } from '../encoding';
import { isLedgerError, LedgerError } from '../errors';
import type { Checkpoint } from '../checkpoint/checkpoint';
import { logObjectsFor, readLogEdge, type LogEdge } from '../tlog/log-objects';
import { treeRootFromTiles } from '../tlog/tile-proofs';
import type { LedgerReader } from '../ports/ledger';
import type { LedgerRecord } from '../types';
import type { AnchorState, TileLogWriter } from './ports';

export const LOG_CHECKPOINT_PATH = 'checkpoint';

function inconsistent(message: string, cause?: unknown): LedgerError {
  return new LedgerError('CHECKPOINT_INCONSISTENT', message, {}, { cause });
}

/** What the log holds is not what its checkpoint commits to: the log was changed. */
const LOG_DAMAGE = ['TILE_MALFORMED', 'TILE_MISSING', 'ENTRY_BUNDLE_MALFORMED', 'INVALID_INPUT'];

async function readingTheLog<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isLedgerError(error) && LOG_DAMAGE.includes(error.code))
      throw inconsistent(`the log's ${what} is not what its checkpoint commits to`, error);
    throw error;
  }
}

/**
 * The size of the log's checkpoint, which must be co-signed by both parties and not ahead of
 * the anchors table's latest (`previous`: LEDGER_ROLLED_BACK); at the same size it must be the
 * same checkpoint (CHECKPOINT_INCONSISTENT).
 */
export async function publishedLogSize(
  log: TileLogWriter,
  previous: AnchorState | null,
  verify: (note: string) => Promise<Checkpoint>,
): Promise<number> {
  const stored = await log.get(LOG_CHECKPOINT_PATH);
  if (stored === null) return 0;
  let checkpoint: Checkpoint;
  try {
    checkpoint = await verify(utf8Decode(stored));
  } catch (cause) {
    throw inconsistent("the log's checkpoint is not co-signed by the parties", cause);
  }
  const tableSize = previous?.treeSize ?? 0;
  // The table is published before the log's checkpoint is replaced: a co-signed log checkpoint
  // larger than the table's latest means the table (and with it the ledger) was rolled back.
  if (checkpoint.treeSize > tableSize) {
    throw new LedgerError(
      'LEDGER_ROLLED_BACK',
      `the log published a co-signed checkpoint of ${checkpoint.treeSize} records; the anchors table's latest is ${tableSize}`,
      { logSize: checkpoint.treeSize, tableSize },
    );
  }
  if (checkpoint.treeSize === tableSize && bytesToHex(checkpoint.rootHash) !== previous?.rootHash) {
    throw inconsistent(
      `the log's checkpoint ${checkpoint.treeSize} is not the one the anchors table has published`,
    );
  }
  return checkpoint.treeSize;
}

/** Writes the log's objects as verified records come in, chunk by chunk. */
export class AnchorLogWriter {
  private constructor(
    private readonly log: TileLogWriter,
    private edge: LogEdge,
  ) {}

  /** A writer at the log's `size`; the partial range's records come from the log, else the ledger. */
  static async at(
    log: TileLogWriter,
    size: number,
    ledger: LedgerReader,
  ): Promise<AnchorLogWriter> {
    const edge = await readingTheLog(`edge at size ${size}`, () =>
      readLogEdge(log, size, (from, to) => ledger.read(from, to)),
    );
    return new AnchorLogWriter(log, edge);
  }

  get size(): number {
    return this.edge.size;
  }

  /** Writes every object for `records` (the next ones, verified); each is written once. */
  async append(records: readonly LedgerRecord[]): Promise<void> {
    const { objects, edge } = await readingTheLog(`edge at size ${this.edge.size}`, () =>
      Promise.resolve().then(() => logObjectsFor(this.edge, records)),
    );
    await Promise.all(
      objects.map((object) => this.log.putOnce(object.path, object.bytes, object.contentType)),
    );
    this.edge = edge;
  }

  /** The log's tiles, as stored, must give the root the checkpoint will commit to. */
  async requireRoot(rootHash: string): Promise<void> {
    const size = this.edge.size;
    const root = bytesToHex(
      await readingTheLog(`tiles at size ${size}`, () => treeRootFromTiles(this.log, size)),
    );
    if (root !== rootHash)
      throw inconsistent(`the log's tiles at size ${this.edge.size} give another root`);
  }
}
