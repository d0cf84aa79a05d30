/**
 * Section (d) of `npm run bench` alone: `npx tsx scripts/bench/run-verify-rate.ts [RECORDS]`
 * (default 20,000) signs a ledger, measures offline verification against `openssl speed`
 * and prints the table kept in docs/PERFORMANCE.md.
 */
import { benchParties, signedLedger } from './signed-ledger';
import { measureVerifyRate, renderVerifyRate } from './verify-rate';

const count = Number(process.argv[2] ?? 20_000);
if (!Number.isSafeInteger(count) || count < 1)
  throw new Error('usage: run-verify-rate.ts [RECORDS]');
const parties = await benchParties();
process.stderr.write(`[bench] signing a ledger of ${count} records\n`);
const records = await signedLedger(parties, count);
const rate = await measureVerifyRate(records, parties.trusted);
process.stdout.write(
  `**d. Offline verification** (${count} records, 2 signatures each)\n\n${renderVerifyRate(rate)}\n`,
);
