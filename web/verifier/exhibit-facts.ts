/**
 * The facts the page shows about each exhibit in a bundle and about its checkpoint, as
 * label/value rows. They are read from the bundle, so they are only as good as the
 * verification: the page says so when a check failed. Values are attacker-controlled text
 * and are only ever set as text, never as HTML.
 */
import type { BundleItem, EvidenceBundle } from '../../core/bundle';
import { parseCheckpoint } from '../../core/checkpoint/checkpoint';
import { base64Encode } from '../../core/encoding';
import { isLedgerError } from '../../core/errors';

export interface Fact {
  readonly label: string;
  readonly value: string;
}

export interface ExhibitFacts {
  readonly itemIndex: number;
  readonly seq: number;
  /** The exhibit's name: its `exhibit` metadata, else its object key. */
  readonly title: string;
  readonly facts: readonly Fact[];
}

const orNone = (value: string | null) => value ?? '(not reported)';

function depositFacts({ record }: BundleItem): Fact[] {
  const { deposit } = record;
  return [
    ...Object.entries(deposit.caseMetadata).map(([name, value]) => ({
      label: `Case metadata: ${name}`,
      value,
    })),
    { label: 'Bucket', value: deposit.bucket },
    { label: 'Object key', value: deposit.key },
    { label: 'Version', value: deposit.versionId },
    { label: 'Size', value: `${deposit.size.toLocaleString('en')} bytes` },
    { label: 'SHA-256', value: deposit.sha256 },
    { label: 'Deposited by', value: orNone(deposit.uploader.principalId) },
    { label: 'Deposited from', value: orNone(deposit.uploader.sourceIp) },
    { label: 'Deposited at', value: deposit.uploadedAt },
  ];
}

function recordFacts({ record }: BundleItem): Fact[] {
  return [
    { label: 'Ledger sequence number', value: String(record.seq) },
    { label: 'Sequenced at', value: record.sequencedAt },
    ...record.signatures.map((s) => ({ label: `Approved by ${s.role}, key id`, value: s.keyId })),
    { label: 'Record hash', value: record.recordHash },
  ];
}

export function exhibitFacts(bundle: EvidenceBundle): ExhibitFacts[] {
  return bundle.items.map((item, itemIndex) => ({
    itemIndex,
    seq: item.record.seq,
    title: item.record.deposit.caseMetadata.exhibit ?? item.record.deposit.key,
    facts: [...depositFacts(item), ...recordFacts(item)],
  }));
}

/** The checkpoint's origin, size and root as its note states them (the text before the signatures). */
export function checkpointFacts(bundle: EvidenceBundle): Fact[] {
  const { note, timestampToken } = bundle.checkpoint;
  const timestamp = { label: 'Trusted timestamp', value: timestampToken ? 'present' : 'none' };
  try {
    const checkpoint = parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1));
    return [
      { label: 'Ledger (origin)', value: checkpoint.origin },
      { label: 'Records covered (tree size)', value: String(checkpoint.treeSize) },
      { label: 'Root hash (base64)', value: base64Encode(checkpoint.rootHash) },
      timestamp,
    ];
  } catch (error) {
    if (!isLedgerError(error)) throw error;
    return [{ label: 'Checkpoint', value: `unreadable: ${error.message}` }, timestamp];
  }
}
