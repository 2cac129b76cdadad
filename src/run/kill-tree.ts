// Stopping the agent's whole tree: SIGTERM to its process group (detached run only) and to every
// known process of its tree (some may have left the group), then SIGKILL to whatever is left after
// the grace period — again re-reading the tree, because a dying agent may still fork. In a
// terminal run the agent shares aegis's process group (with aegis and maybe other members of the
// shell job), so only the tree's own pids are signalled.
import type { ProcessId } from "./process-tree.js";
import type { TreeTracker } from "./tree-tracker.js";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Sends `signal` to a pid or (negative) a process group; a vanished target is not an error.
export function signalQuietly(target: number, signal: NodeJS.Signals): void {
  // 0 would be aegis's own process group (in a terminal run, the whole shell job), -1 every
  // process we may signal, 1 init: never a target, whatever went wrong upstream.
  if (target === 0 || target === 1 || target === -1) return;
  try {
    process.kill(target, signal);
  } catch {
    // ESRCH: already gone. EPERM: not ours (a reused pid) — leave it alone.
  }
}

function signalAll(pgid: number | undefined, procs: ProcessId[], signal: NodeJS.Signals): void {
  if (pgid !== undefined) signalQuietly(-pgid, signal);
  for (const proc of procs) signalQuietly(proc.pid, signal);
}

/**
 * Terminates the tree: SIGTERM, wait up to `graceMs` for everything to go, then SIGKILL until
 * nothing is left (bounded). Resolves when no known process of the tree is alive. `pgid` is the
 * agent's own process group, or undefined when it has none (terminal run: pids only). The
 * tracker's full refresh includes the group's members (when it has one), so a group member never
 * seen by polling is found.
 */
export async function killTree(pgid: number | undefined, tracker: TreeTracker, graceMs: number): Promise<void> {
  // What polling already knows is signalled before the full scan, which reads every process's
  // stat and environ (milliseconds on a busy machine): a looping agent gets no time for more calls.
  const known = tracker.alive();
  if (known.length > 0) signalAll(pgid, known, "SIGTERM");
  // Each process gets one SIGTERM: a second could interrupt its clean shutdown.
  const termed = new Set(known.map((p) => `${p.pid}:${p.start}`));
  const termNew = (procs: ProcessId[]): void => {
    for (const proc of procs) {
      const key = `${proc.pid}:${proc.start}`;
      if (termed.has(key)) continue;
      termed.add(key);
      signalQuietly(proc.pid, "SIGTERM");
    }
  };
  const first = await tracker.refresh();
  // Nothing left (the usual case after an agent exits by itself): no signal, no wait.
  if (first.length === 0) return;
  if (known.length === 0 && pgid !== undefined) signalQuietly(-pgid, "SIGTERM");
  termNew(first);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    const left = await tracker.refresh();
    if (left.length === 0) return;
    // Anything the tree forked since the first signal gets its SIGTERM too.
    termNew(left);
  }
  for (let round = 0; round < 40; round++) {
    const left = await tracker.refresh();
    if (left.length === 0) return;
    signalAll(pgid, left, "SIGKILL");
    await sleep(25);
  }
}
