/**
 * Where deposit events go: a progress bar redrawn in place on a terminal, plain lines at most
 * every few seconds when the output is a log or a pipe, or one JSON object per event for
 * scripts. Progress, waits and retries go to stderr and results to stdout, except in JSON
 * mode, where every event is a line on stdout.
 */
import type { Output } from '../verify-bundle-command';
import { eventText } from './deposit-text';
import { progressLine, progressText, type ProgressSnapshot } from './progress-format';
import type { DepositEvent, DepositReporter } from './ports';

type Progress = Extract<DepositEvent, { type: 'progress' }>;

const snapshot = (event: Progress): ProgressSnapshot => ({
  label: `${event.phase === 'hash' ? 'sha256' : 'upload'} ${event.file}`,
  loaded: event.loaded,
  total: event.total,
  elapsedMs: event.elapsedMs,
});

const toStdout = (event: DepositEvent) =>
  event.type === 'result' || event.type === 'summary' || event.type === 'uploaded';

/** Results on stdout, the rest on stderr. */
function print(output: Output, event: DepositEvent, text: string): void {
  if (toStdout(event)) output.out(text);
  else output.err(text);
}

/** Prints the table only when there is more than one file: one file has its summary line. */
function textOf(event: Exclude<DepositEvent, { type: 'progress' }>): string | null {
  return event.type === 'summary' && event.rows.length < 2 ? null : eventText(event);
}

export function jsonReporter(output: Output): DepositReporter {
  return { event: (event) => output.out(JSON.stringify(event)) };
}

/** Plain lines: a progress line when a phase starts, every `intervalMs`, and when it ends. */
export function plainReporter(output: Output, intervalMs = 5000): DepositReporter {
  const printedAt = new Map<string, number>();
  return {
    event(event) {
      if (event.type !== 'progress') {
        const text = textOf(event);
        if (text !== null) print(output, event, text);
        return;
      }
      const phase = `${event.phase}:${event.file}`;
      const last = printedAt.get(phase);
      const done = event.loaded >= event.total;
      if (last === Number.POSITIVE_INFINITY) return; // its closing line is out
      if (last !== undefined && !done && event.elapsedMs - last < intervalMs) return;
      printedAt.set(phase, done ? Number.POSITIVE_INFINITY : event.elapsedMs);
      output.err(progressText(snapshot(event)));
    },
  };
}

export interface Terminal {
  write(text: string): void;
  readonly columns?: number | undefined;
}

/** One line redrawn in place on stderr (`\r`, erase line); other events end it first. */
export function ttyReporter(output: Output, terminal: Terminal): DepositReporter {
  let drawing = false;
  const clear = () => {
    if (drawing) terminal.write('\r\x1b[2K');
    drawing = false;
  };
  return {
    event(event) {
      if (event.type !== 'progress') {
        const text = textOf(event);
        if (text === null) return;
        clear();
        print(output, event, text);
        return;
      }
      const barWidth = Math.max(10, Math.min(30, (terminal.columns ?? 100) - 70));
      terminal.write(`\r\x1b[2K${progressLine(snapshot(event), barWidth)}`);
      drawing = true;
      if (event.loaded >= event.total) {
        terminal.write('\n');
        drawing = false;
      }
    },
  };
}
