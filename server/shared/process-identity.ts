import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Which process left something behind (a temporary folder, staged rows), and whether it still runs:
 * several server processes may share one data folder and one database, and one that starts must
 * clear only what a dead process left, never what a live one is still writing.
 */

/** When this process started (ms): tells a previous run with the same pid (a restarted container's pid 1) from this one. */
const PROCESS_STARTED_AT = Math.round(Date.now() - process.uptime() * 1000);

/** This machine's name as ids carry it (a host name has no `~`; only what is safe in a path is kept). */
export const thisHost = (): string => hostname().replace(/[^A-Za-z0-9.-]/g, '-') || 'host';

/** `<host>~<pid>~<start, base 36>~<random>`: a new id of this process (the random part tells two owners in one process apart). */
export function newInstanceId(): string {
  return `${thisHost()}~${process.pid}~${PROCESS_STARTED_AT.toString(36)}~${randomUUID().slice(0, 8)}`;
}

/** This process's id, for what one process owns as a whole. */
export const PROCESS_INSTANCE_ID = newInstanceId();

export function parseInstanceId(id: string): { host: string; pid: number; startedAt: number } | null {
  const parts = id.split('~');
  if (parts.length !== 4 || !/^\d+$/.test(parts[1]!) || !/^[0-9a-z]+$/.test(parts[2]!)) return null;
  return { host: parts[0]!, pid: Number(parts[1]), startedAt: parseInt(parts[2]!, 36) };
}

/**
 * Whether a process of this host still runs. Signal 0 only asks: ESRCH means it is gone, EPERM that
 * it runs under another user. This process's own pid is this process unless the id comes from a run
 * that started earlier: a restarted container gives its server the same pid again.
 */
export function ownerAlive(owner: { pid: number; startedAt: number }): boolean {
  if (owner.pid === process.pid) return owner.startedAt >= PROCESS_STARTED_AT - 1000;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True only when the id names a process of this host that has ended; another host's process cannot be asked. */
export function instanceGone(id: string): boolean {
  const owner = parseInstanceId(id);
  return owner !== null && owner.host === thisHost() && !ownerAlive(owner);
}
