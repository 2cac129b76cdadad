// Keeps a running list of every process the agent's tree has had, by polling. Polling matters
// for processes that leave the tree: a grandchild that calls setsid() and whose parent exits is
// reparented to init and can no longer be found from the agent's pid, but it is already in the
// list (pid + start time) and is killed with the rest.
import { isAlive, listTree, type ProcessId, type ScanOptions } from "./process-tree.js";

/** Poll interval: short enough to see a double-forking daemon's intermediate parent. */
const POLL_MS = process.platform === "linux" ? 100 : 1_000;

/** A tracker of the agent's process tree. */
export interface TreeTracker {
  /** Re-reads the tree now with a full scan; resolves to the live processes known (root included if alive). */
  refresh(): Promise<ProcessId[]>;
  /** Live known processes without re-reading the tree. */
  alive(): ProcessId[];
  /** Stops polling. */
  stop(): void;
}

/**
 * Starts tracking the tree under `root`; `scan` is what a full refresh also looks for (the
 * agent's group, its session marker); `onChange` receives the live pid list when it changes.
 */
export function trackTree(root: number, scan: ScanOptions, onChange?: (pids: number[]) => void): TreeTracker {
  const known = new Map<string, ProcessId>();
  let lastKey = "";
  let polling = false;

  const alive = (): ProcessId[] => {
    const out: ProcessId[] = [];
    for (const [key, proc] of known) {
      if (isAlive(proc)) out.push(proc);
      else known.delete(key);
    }
    return out;
  };

  const refresh = async (): Promise<ProcessId[]> => {
    // The full scan reads every /proc/*/stat and environ: only when asked (at kill time).
    for (const proc of await listTree(root, scan)) known.set(`${proc.pid}:${proc.start}`, proc);
    return alive();
  };

  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      for (const proc of await listTree(root)) known.set(`${proc.pid}:${proc.start}`, proc);
      const pids = alive().map((p) => p.pid).sort((a, b) => a - b);
      const key = pids.join(" ");
      if (key !== lastKey) {
        lastKey = key;
        onChange?.(pids);
      }
    } finally {
      polling = false;
    }
  };

  const timer = setInterval(() => void poll(), POLL_MS);
  timer.unref();
  void poll();
  return { refresh, alive, stop: () => clearInterval(timer) };
}
