// How the agent's end maps to the exit code of `aegis run` (DESIGN §8), in one place.
import { constants } from "node:os";
import { EXIT } from "../errors.js";

/** How the agent ended. */
export interface AgentExit {
  /** The exit code `aegis run` returns. */
  exitCode: number;
  /** The agent's own exit code, or null when it died of a signal. */
  code: number | null;
  /** The signal the agent died of, or null. */
  signal: NodeJS.Signals | null;
  /** Why aegis stopped the agent, or null when it ended by itself. */
  stoppedReason: string | null;
}

/** 124 when aegis stopped the agent; else 128+N for death by signal N; else the agent's code. */
export function exitCodeFor(code: number | null, signal: NodeJS.Signals | null, stoppedReason: string | null): number {
  if (stoppedReason !== null) return EXIT.stoppedByLimit;
  if (signal !== null) return 128 + (constants.signals[signal] ?? 0);
  return code ?? EXIT.aegisFailed;
}

/** The exit code for a failed spawn: 127 not found, 126 found but not executable, else null. */
export function spawnFailureCode(errno: string | undefined): number | null {
  if (errno === "ENOENT" || errno === "ENOTDIR") return EXIT.notFound;
  if (errno === "EACCES" || errno === "EPERM" || errno === "EISDIR" || errno === "ENOEXEC") return EXIT.cannotExecute;
  return null;
}
