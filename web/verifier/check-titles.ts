/** What each check of verifyBundle establishes, in words (docs/FORMAT.md §10 "Verification"). */
import type { BundleCheckId } from '../../core/bundle/bundle-report';

export const CHECK_TITLES: Readonly<Record<BundleCheckId, string>> = {
  'bundle.schema': 'The file is an evidence bundle (format v1)',
  checkpoint: 'The checkpoint is signed by both trusted parties',
  'items.order': 'The records are in ledger order',
  'record.hash': 'The record is unchanged (its hash recomputes)',
  'record.facts': 'The deposit id and the link to the previous record recompute',
  'record.signatures': 'Both parties signed the record with trusted keys',
  'record.inclusion': 'The record is in the ledger the checkpoint covers',
  timestamp: 'A trusted timestamp covers the checkpoint',
  'evidence.digest': 'The evidence file is the one recorded',
};
