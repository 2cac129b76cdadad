// The one place that turns an outcome into an exit code (DESIGN §8). Commands return an exit
// code or throw; only here are errors mapped: AegisError → its message and code, commander's
// usage errors → 2, anything else → a stack trace (a bug in aegis).
import { CommanderError } from "commander";
import { AegisError, EXIT } from "../errors.js";
import { createProgram } from "./program.js";
import { processOutput, type Output } from "./output.js";
import { VERSION } from "../version.js";

/** Runs the CLI with `argv` (as process.argv) and resolves to the process exit code. */
export async function main(argv: string[], output?: Output): Promise<number> {
  const out = output ?? (await processOutput());
  let exitCode: number = EXIT.ok;
  const program = createProgram(out, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    return exitCodeForError(error, out, argv);
  }
}

// Maps a thrown error to the exit code; prints the message (or, for a bug, the stack).
function exitCodeForError(error: unknown, out: Output, argv: string[]): number {
  if (error instanceof CommanderError) {
    // help and version are "errors" only in commander's control flow.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") {
      return EXIT.ok;
    }
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof AegisError) {
    out.message(`${out.errColor.red("aegis:")} ${error.message}`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  out.message(`aegis: internal error (a bug in aegis ${VERSION}; please report it with this output)\n${stack}`);
  return argv[2] === "run" ? EXIT.aegisFailed : EXIT.checkFailed;
}
