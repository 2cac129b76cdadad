// Runs the agent and owns its life: spawned in its own process group with stdio inherited,
// signals forwarded, its whole tree killed when aegis stops it, leftovers cleaned up when it
// ends by itself, a watchdog for when aegis dies, and the exit code of DESIGN §8.
import { spawn, type ChildProcess } from "node:child_process";
import { AegisError } from "../errors.js";
import { exitCodeFor, spawnFailureCode, type AgentExit } from "./exit-status.js";
import { killTree, signalQuietly } from "./kill-tree.js";
import { trackTree, type TreeTracker } from "./tree-tracker.js";
import { startWatchdog, type Watchdog } from "./watchdog.js";

export type { AgentExit } from "./exit-status.js";

/** What to run and how. */
export interface SupervisorOptions {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Time between SIGTERM and SIGKILL when the tree is stopped. */
  graceMs: number;
  /** `NAME=value` present in the environment of every process of the agent (its session id). */
  envMarker?: string;
  /** Told when a forwarded signal is escalated to a tree kill (for a stderr line). */
  onEscalate?: (signal: NodeJS.Signals) => void;
}

/** A running agent. */
export interface Supervisor {
  readonly pid: number;
  /** Resolves when the agent has ended and no process of its tree is left. */
  readonly exited: Promise<AgentExit>;
  /** Stops the agent because a limit blocked (exit 124); the first reason wins. */
  stop(reason: string): void;
}

const FORWARDED: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

// Spawns and waits for "spawn" or "error", so a missing or non-executable command is known here.
function spawnAgent(options: SupervisorOptions): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      // detached: the agent leads its own process group (and session), so one kill(-pgid)
      // reaches every process of it that has not moved away.
      child = spawn(options.command, options.args, { stdio: "inherit", detached: true, env: options.env });
    } catch (error) {
      reject(spawnError(options.command, error));
      return;
    }
    child.once("spawn", () => resolve(child));
    child.once("error", (error) => reject(spawnError(options.command, error)));
  });
}

function spawnError(command: string, error: unknown): AegisError {
  const errno = (error as NodeJS.ErrnoException).code;
  const code = spawnFailureCode(errno);
  if (code === 127) return new AegisError(`agent command not found: ${command}`, code);
  if (code === 126) return new AegisError(`agent command cannot be executed: ${command} (${errno ?? "permission denied"})`, code);
  return new AegisError(`could not start the agent ${command}: ${error instanceof Error ? error.message : String(error)}`, 125);
}

/** Starts the agent; throws an AegisError with exit code 127/126/125 when it cannot start. */
export async function startAgent(options: SupervisorOptions): Promise<Supervisor> {
  const watchdog: Watchdog = startWatchdog(options.graceMs / 1000);
  let child: ChildProcess;
  try {
    child = await spawnAgent(options);
  } catch (error) {
    watchdog.disarm();
    throw error;
  }
  const pid = child.pid ?? 0;
  watchdog.setGroup(pid);
  const tracker: TreeTracker = trackTree(pid, { pgid: pid, envMarker: options.envMarker }, (pids) => watchdog.setPids(pids));

  let stoppedReason: string | null = null;
  let killing: Promise<void> | undefined;
  const killAll = (): Promise<void> => (killing ??= killTree(pid, tracker, options.graceMs));

  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signalQuietly(-pid, signal);
    // SIGINT goes to the agent (it may be interactive and handle it); a third one, or SIGTERM or
    // SIGHUP (aegis is being told to go), escalates to a tree kill after the grace period.
    if (signal === "SIGINT" && ++interrupts < 3) return;
    options.onEscalate?.(signal);
    void killAll();
  };
  const handlers = FORWARDED.map((signal) => {
    const handler = (): void => onSignal(signal);
    process.on(signal, handler);
    return { signal, handler };
  });

  const exited = new Promise<AgentExit>((resolve) => {
    child.once("exit", (code, signal) => {
      // The agent is gone; its tree must not outlive it (aegis never leaves processes behind).
      void (async () => {
        try {
          await killAll();
        } finally {
          tracker.stop();
          watchdog.disarm();
          for (const { signal: s, handler } of handlers) process.off(s, handler);
          resolve({ exitCode: exitCodeFor(code, signal, stoppedReason), code, signal, stoppedReason });
        }
      })();
    });
  });

  return {
    pid,
    exited,
    stop(reason) {
      if (stoppedReason !== null) return;
      stoppedReason = reason;
      void killAll();
    },
  };
}
