/** How `evidence deposit` shows progress: units, rate, ETA, the bar, and when plain lines are printed. */
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../../cli/deposit/deposit-text';
import type { DepositEvent, DepositRow } from '../../../cli/deposit/ports';
import {
  etaOf,
  formatBytes,
  formatDuration,
  progressBar,
  progressLine,
  progressText,
} from '../../../cli/deposit/progress-format';
import { plainReporter, ttyReporter } from '../../../cli/deposit/reporters';

const MIB = 1024 * 1024;

describe('progress formatting', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [6 * MIB, '6.0 MiB'],
    [3 * 1024 * MIB, '3.0 GiB'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    [null, '--'],
    [0, '0s'],
    [44.2, '45s'],
    [185, '3m05s'],
    [7620, '2h07m'],
  ])('formats %s seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('draws the bar for the fraction done and clamps it', () => {
    expect(progressBar(0, 10)).toBe('[----------]');
    expect(progressBar(0.55, 10)).toBe('[#####-----]');
    expect(progressBar(1.7, 10)).toBe('[##########]');
  });

  it('estimates the time left from the rate so far, and cannot before any time has passed', () => {
    expect(etaOf({ label: 'x', loaded: 2 * MIB, total: 6 * MIB, elapsedMs: 1000 })).toBe(2);
    expect(etaOf({ label: 'x', loaded: 0, total: 6 * MIB, elapsedMs: 0 })).toBeNull();
    expect(etaOf({ label: 'x', loaded: 6 * MIB, total: 6 * MIB, elapsedMs: 0 })).toBe(0);
  });

  it('shows bytes, rate and ETA on the terminal line and in the plain text', () => {
    const progress = { label: 'upload a.bin', loaded: 3 * MIB, total: 6 * MIB, elapsedMs: 2000 };
    expect(progressLine(progress, 10)).toBe(
      'upload a.bin [#####-----]  50%  3.0 MiB / 6.0 MiB  1.5 MiB/s  ETA 2s',
    );
    expect(progressText(progress)).toBe('upload a.bin: 3.0 MiB / 6.0 MiB (50%), 1.5 MiB/s, ETA 2s');
  });
});

const progress = (loaded: number, elapsedMs: number): DepositEvent => ({
  type: 'progress',
  phase: 'upload',
  file: 'a.bin',
  loaded,
  total: 10 * MIB,
  elapsedMs,
});

describe('when the output is not a terminal', () => {
  it('prints a progress line at the start, then at most every 5 s, and once at the end', () => {
    const err: string[] = [];
    const reporter = plainReporter({ out: () => undefined, err: (line) => err.push(line) });
    for (const [loaded, at] of [
      [0, 0],
      [MIB, 1000],
      [2 * MIB, 4999],
      [5 * MIB, 5000],
      [6 * MIB, 6000],
      [10 * MIB, 7000],
      [10 * MIB, 7001],
    ] as const) {
      reporter.event(progress(loaded, at));
    }
    expect(err.map((line) => line.split(':')[1]?.trim().split(' (')[0])).toEqual([
      '0 B / 10.0 MiB',
      '5.0 MiB / 10.0 MiB',
      '10.0 MiB / 10.0 MiB',
    ]);
  });
});

describe('on a terminal', () => {
  it('redraws one line in place and ends it before any other line', () => {
    const written: string[] = [];
    const out: string[] = [];
    const reporter = ttyReporter(
      { out: (line) => out.push(line), err: () => undefined },
      { write: (text) => written.push(text), columns: 80 },
    );
    reporter.event(progress(MIB, 1000));
    reporter.event({
      type: 'waiting',
      file: 'a.bin',
      stage: 'anchor',
      detail: 'recorded at seq 3, awaiting a checkpoint',
    });
    expect(written[0]?.startsWith('\r\x1b[2Kupload a.bin [')).toBe(true);
    expect(written[1]).toBe('\r\x1b[2K');
  });
});

describe('the closing summary table', () => {
  it('lists file, version, seq and whether the SHA-256 matched, in columns', () => {
    const row = (file: string, seq: number | null, ledger: string | null): DepositRow => ({
      file,
      key: file,
      outcome: ledger === null ? 'timeout' : 'receipt',
      versionId: `v-${file}`,
      depositId: null,
      seq,
      recordHash: null,
      localSha256: 'aa',
      ledgerSha256: ledger,
      receipt: null,
      message: null,
    });
    expect(
      summaryTable([row('a.txt', 3, 'aa'), row('long-name.bin', null, null)]).split('\n'),
    ).toEqual([
      'file           version          seq  sha256 match  outcome',
      'a.txt          v-a.txt          3    yes           receipt',
      'long-name.bin  v-long-name.bin  -    -             timeout',
    ]);
  });
});
