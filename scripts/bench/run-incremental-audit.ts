/**
 * Section (h) of `npm run bench` alone: `npx tsx scripts/bench/run-incremental-audit.ts
 * [NEW_RECORDS] [--quick]` signs a ledger of 10^5 + NEW_RECORDS records (default 1,000) and
 * measures the incremental verifyLedger at ledger sizes 10^3, 10^4 and 10^5; --quick divides
 * every size by 64 (a smoke test, not figures).
 */
import { measureIncrementalAudit, renderIncrementalAudit } from './incremental-audit';
import { benchParties, signedLedger } from './signed-ledger';

const quick = process.argv.includes('--quick');
const [countArg] = process.argv.slice(2).filter((arg) => arg !== '--quick');
const scale = (n: number) => (quick ? Math.max(1, Math.round(n / 64)) : n);
const newRecords = scale(Number(countArg ?? 1000));
if (!Number.isSafeInteger(newRecords) || newRecords < 1)
  throw new Error('usage: run-incremental-audit.ts [NEW_RECORDS] [--quick]');
const ledgerSizes = [1000, 10_000, 100_000].map(scale);
const parties = await benchParties();
process.stderr.write(`[bench] signing a ledger of ${ledgerSizes.at(-1)! + newRecords} records\n`);
const records = await signedLedger(parties, ledgerSizes.at(-1)! + newRecords);
const runs = await measureIncrementalAudit(parties, records, ledgerSizes, newRecords);
process.stdout.write(
  `**h. Incremental verifyLedger** (in-memory stores, ${newRecords} new records and one new checkpoint per call)\n\n${renderIncrementalAudit(runs)}\n`,
);
