/**
 * What a run did, step by step: every release of a port call, every delivery, every fault,
 * as text lines. Two runs of one seed must produce the same lines, byte for byte; a failing
 * run prints the lines that concern what failed.
 */
export class Trace {
  readonly lines: string[] = [];
  readonly faultCounts = new Map<string, number>();
  private steps = 0;

  constructor(private readonly now: () => number) {}

  get stepCount(): number {
    return this.steps;
  }

  step(what: string): void {
    this.steps += 1;
    this.lines.push(`#${this.steps} @${this.now()} ${what}`);
  }

  fault(kind: string, where: string): void {
    this.faultCounts.set(kind, (this.faultCounts.get(kind) ?? 0) + 1);
    this.step(`FAULT ${kind} ${where}`);
  }
}

/** A deposit id as traces print it: enough to tell deposits apart. */
export const shortId = (id: string): string => id.slice(0, 10);
