import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EmulatorProcessOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Resolves true once the emulator answers; polled until `startTimeoutMs`. */
  readonly isReady: () => Promise<boolean>;
  readonly startTimeoutMs: number;
}

/** One emulator server on loopback, started as a child process and stopped with it. */
export class EmulatorProcess {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {}

  /** The server's process id (the load run reads its peak RSS from /proc). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(options: EmulatorProcessOptions): Promise<EmulatorProcess> {
    await mkdir(new URL('.', `file://${options.logFile}`).pathname, { recursive: true });
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(options.command, options.args, {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const emulator = new EmulatorProcess(options.name, child);
    // A test run that dies must not leave servers behind.
    process.once('exit', () => child.kill('SIGKILL'));
    await emulator.waitUntilReady(options);
    return emulator;
  }

  private async waitUntilReady(options: EmulatorProcessOptions): Promise<void> {
    const deadline = Date.now() + options.startTimeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(
          `${this.name} exited with code ${this.child.exitCode} while starting; see ${options.logFile}`,
        );
      }
      if (await options.isReady().catch(() => false)) return;
      await sleep(200);
    }
    await this.stop();
    throw new Error(
      `${this.name} did not become ready in ${options.startTimeoutMs} ms; see ${options.logFile}`,
    );
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!killed) {
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}
