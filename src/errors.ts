// The error model and the one exit-code table (DESIGN §8). Anything thrown that is not an
// AegisError is a bug in aegis: the CLI prints its stack. AegisErrors are user-facing: message only.

/** Exit codes: one table, decided in one place (src/cli/main.ts). */
export const EXIT = {
  ok: 0,
  /** A check failed: `validate` found problems, `report` found no data. */
  checkFailed: 1,
  /** The command line was wrong. */
  usage: 2,
  /** `aegis run`: aegis stopped the agent because a limit blocked (as timeout(1) does). */
  stoppedByLimit: 124,
  /** `aegis run`: aegis itself failed (invalid config, cannot listen, internal error). */
  aegisFailed: 125,
  /** `aegis run`: the agent command exists but cannot be executed. */
  cannotExecute: 126,
  /** `aegis run`: the agent command was not found. */
  notFound: 127,
} as const;

/** A user-facing failure with the exit code it maps to. */
export class AegisError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AegisError";
  }
}

/** A wrong command line (unknown flag, bad value): exit 2. */
export class UsageError extends AegisError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = "UsageError";
  }
}

/** A config that failed validation; `problems` are the formatted lines, each naming path and position. */
export class ConfigError extends AegisError {
  constructor(
    message: string,
    readonly problems: string[],
    exitCode: number = EXIT.checkFailed,
  ) {
    super(message, exitCode);
    this.name = "ConfigError";
  }
}

/** A check that did not pass (no data for a report): exit 1. */
export class CheckFailedError extends AegisError {
  constructor(message: string) {
    super(message, EXIT.checkFailed);
    this.name = "CheckFailedError";
  }
}
