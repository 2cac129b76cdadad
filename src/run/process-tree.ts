// Finding every process of the agent's tree, including ones that left its process group.
// Linux: /proc (each task's `children` file, and `stat` for state and start time, so a reused
// pid is never mistaken for a process we saw). Elsewhere: one `ps` listing per poll.
// A process is identified by pid + start time; zombies count as gone (they cannot spend).
import { readdirSync, readFileSync } from "node:fs";
import { execFile } from "node:child_process";

/** A process we saw in the agent's tree. */
export interface ProcessId {
  pid: number;
  /** Start time (clock ticks since boot on Linux; the `ps` lstart text elsewhere) — tells reused pids apart. */
  start: string;
}

const HAS_PROC = process.platform === "linux" && safeRead("/proc/self/stat") !== undefined;

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

// The fields of /proc/<pid>/stat after the command name (which may itself hold spaces and parens).
function statFields(pid: number): string[] | undefined {
  const stat = safeRead(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The process's identity, or undefined when it is gone or a zombie. */
export function identify(pid: number): ProcessId | undefined {
  if (!HAS_PROC) return isSignallable(pid) ? { pid, start: "" } : undefined;
  const fields = statFields(pid);
  // fields[0] is the state (Z zombie, X dead); fields[19] is field 22, starttime.
  if (fields === undefined || fields[0] === "Z" || fields[0] === "X") return undefined;
  return { pid, start: fields[19] ?? "" };
}

/** True when the process still exists as the same process (not reused, not a zombie). */
export function isAlive(proc: ProcessId): boolean {
  const now = identify(proc.pid);
  return now !== undefined && (now.start === proc.start || proc.start === "" || now.start === "");
}

// kill(pid, 0): exists and is ours to signal.
function isSignallable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Children of `pid` from /proc/<pid>/task/*/children (every thread may have forked).
function procChildren(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tasks) {
    const text = safeRead(`/proc/${pid}/task/${tid}/children`);
    if (text === undefined) continue;
    for (const part of text.split(" ")) {
      const child = Number(part);
      if (Number.isInteger(child) && child > 0) out.push(child);
    }
  }
  return out;
}

// Linux: every other process that is in group `pgid` or whose environment carries `marker`
// (the session id) — catches a daemonised grandchild reparented to init between two polls.
function procScan(pgid: number | undefined, marker: string | undefined): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (pgid !== undefined && statFields(pid)?.[2] === String(pgid)) {
      out.push(pid);
      continue;
    }
    if (marker === undefined) continue;
    const env = safeRead(`/proc/${pid}/environ`);
    if (env !== undefined && env.split("\0").includes(marker)) out.push(pid);
  }
  return out;
}

// Elsewhere: parent map (and the members of group `pgid`) from one `ps` run.
function psListing(pgid: number | undefined): Promise<{ children: Map<number, number[]>; group: number[] }> {
  return new Promise((resolve) => {
    execFile("ps", ["-A", "-o", "pid=,ppid=,pgid="], { timeout: 5_000 }, (error, stdout) => {
      const children = new Map<number, number[]>();
      const group: number[] = [];
      if (error !== null) return resolve({ children, group });
      for (const line of stdout.split("\n")) {
        const [pid, ppid, pg] = line.trim().split(/\s+/).map(Number);
        if (pid === undefined || ppid === undefined || !Number.isInteger(pid) || !Number.isInteger(ppid)) continue;
        const list = children.get(ppid) ?? [];
        list.push(pid);
        children.set(ppid, list);
        if (pgid !== undefined && pg === pgid) group.push(pid);
      }
      resolve({ children, group });
    });
  });
}

/** What to look for beyond the descendants of the root (a full scan: use at kill time). */
export interface ScanOptions {
  /** Also every member of this process group. */
  pgid?: number;
  /** Linux: also every process whose environment has this exact `NAME=value` entry. */
  envMarker?: string;
}

/** The live descendants of `root` (root included if alive), plus what `scan` asks for. */
export async function listTree(root: number, scan: ScanOptions = {}): Promise<ProcessId[]> {
  const full = scan.pgid !== undefined || scan.envMarker !== undefined;
  const listing = HAS_PROC ? undefined : await psListing(scan.pgid);
  const queue = [root];
  if (HAS_PROC && full) queue.push(...procScan(scan.pgid, scan.envMarker));
  if (listing !== undefined) queue.push(...listing.group);
  const seen = new Set<number>();
  const out: ProcessId[] = [];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    if (seen.has(pid) || pid === process.pid) continue;
    seen.add(pid);
    const id = identify(pid);
    if (id !== undefined) out.push(id);
    queue.push(...(listing === undefined ? procChildren(pid) : (listing.children.get(pid) ?? [])));
  }
  return out;
}
