// Runs the agent and owns its life: spawned with stdio inherited — in aegis's own process group
// when aegis runs in the foreground of a terminal, else in a process group and session of its own —
// signals forwarded, its whole tree killed when aegis stops it, leftovers cleaned up when it
// ends by itself, a watchdog for when aegis dies, and the exit code of DESIGN §8.
import { spawn, type ChildProcess } from "node:child_process";
import { AegisError } from "../errors.js";
import { exitCodeFor, spawnFailureCode, type AgentExit } from "./exit-status.js";
import { killTree } from "./kill-tree.js";
import { forwardSignals, handledSignals, signalHandler } from "./signal-forwarding.js";
import { runsInTerminal } from "./terminal.js";
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
  /** Terminal run (see terminal.ts); default: whether aegis runs in the foreground of a terminal now. */
  terminal?: boolean;
}

/** A running agent. */
export interface Supervisor {
  readonly pid: number;
  /** Resolves when the agent has ended and no process of its tree is left. */
  readonly exited: Promise<AgentExit>;
  /** Stops the agent because a limit blocked (exit 124); the first reason wins. */
  stop(reason: string): void;
}

// Spawns and waits for "spawn" or "error", so a missing or non-executable command is known here.
function spawnAgent(options: SupervisorOptions, terminal: boolean): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      // Detached: the agent leads its own process group (and session), so one kill(-pgid)
      // reaches every process of it that has not moved away. That costs it the controlling
      // terminal (opening /dev/tty fails with ENXIO, Ctrl-Z stops only aegis), so in a terminal
      // it stays in aegis's group and session instead, as it would run without aegis.
      child = spawn(options.command, options.args, { stdio: "inherit", detached: !terminal, env: options.env });
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
  const terminal = options.terminal ?? runsInTerminal();
  const watchdog: Watchdog = startWatchdog(options.graceMs / 1000);
  let child: ChildProcess;
  try {
    child = await spawnAgent(options, terminal);
  } catch (error) {
    watchdog.disarm();
    throw error;
  }
  const pid = child.pid ?? 0;
  // The agent's own process group; none in a terminal run, where the group is aegis's (and the
  // shell job's): then neither the watchdog nor a kill ever signals a group, only the tree's pids.
  const group = terminal ? undefined : pid;
  if (group === undefined) watchdog.setPids([pid]);
  else watchdog.setGroup(group);
  const tracker: TreeTracker = trackTree(pid, { pgid: group, envMarker: options.envMarker }, (pids) => watchdog.setPids(pids));

  let stoppedReason: string | null = null;
  let killing: Promise<void> | undefined;
  const killAll = (): Promise<void> => (killing ??= killTree(group, tracker, options.graceMs));

  const onSignal = signalHandler({ pid, group, onEscalate: options.onEscalate, killAll: () => void killAll() });
  const unforward = forwardSignals(handledSignals(terminal), onSignal);

  const exited = new Promise<AgentExit>((resolve) => {
    child.once("exit", (code, signal) => {
      // The agent is gone; its tree must not outlive it (aegis never leaves processes behind).
      void (async () => {
        try {
          await killAll();
        } finally {
          tracker.stop();
          watchdog.disarm();
          unforward();
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
