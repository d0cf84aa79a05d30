/**
 * Peak resident memory: this process's from the kernel's rusage, an emulator's from
 * /proc/<pid>/status (VmHWM, the high-water mark), summed over the server and the processes
 * it started, read before it is stopped. Linux only; elsewhere the emulators' figure is null.
 */
import { readFile } from 'node:fs/promises';

const KiB_PER_MiB = 1024;

/** This process's peak RSS in MiB (maxRSS is in KiB). */
export function ownPeakRssMiB(): number {
  return process.resourceUsage().maxRSS / KiB_PER_MiB;
}

async function vmHwmKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
}

async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(/\s+/).filter(Boolean).map(Number);
}

/** The peak RSS in MiB of `pid` and its descendants, or null when /proc cannot tell. */
export async function processTreePeakRssMiB(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    let kib = await vmHwmKiB(pid);
    for (const child of await childrenOf(pid))
      kib += ((await processTreePeakRssMiB(child)) ?? 0) * KiB_PER_MiB;
    return kib / KiB_PER_MiB;
  } catch {
    return null;
  }
}
