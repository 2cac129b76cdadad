// The only writers to stdout and stderr. stdout carries data (tables, JSON); stderr carries
// messages. Colour follows NO_COLOR / FORCE_COLOR and whether each stream is a TTY.
import { Chalk, type ChalkInstance } from "chalk";

/** Where a command writes; tests pass their own to capture output. */
export interface Output {
  /** Data for stdout (a table, JSON). */
  data(text: string): void;
  /** A message for stderr. */
  message(text: string): void;
  /** Chalk for stdout text (plain when stdout is not a TTY or NO_COLOR is set). */
  color: ChalkInstance;
  /** Chalk for stderr text. */
  errColor: ChalkInstance;
  /** Terminal width of stdout, or undefined when not a terminal. */
  columns: number | undefined;
}

// Colour level for a stream: none when NO_COLOR is set (any value) or the stream is not a TTY.
function colorLevel(stream: NodeJS.WriteStream): 0 | 1 {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return 0;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0") return 1;
  return stream.isTTY ? 1 : 0;
}

/** The process's real output. */
export function processOutput(): Output {
  return {
    data: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    message: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    color: new Chalk({ level: colorLevel(process.stdout) }),
    errColor: new Chalk({ level: colorLevel(process.stderr) }),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}

/** An output that collects into strings, for tests. */
export function memoryOutput(columns?: number): Output & { stdout: string; stderr: string } {
  const out = {
    stdout: "",
    stderr: "",
    data(text: string) {
      out.stdout += text.endsWith("\n") ? text : `${text}\n`;
    },
    message(text: string) {
      out.stderr += text.endsWith("\n") ? text : `${text}\n`;
    },
    color: new Chalk({ level: 0 }),
    errColor: new Chalk({ level: 0 }),
    columns,
  };
  return out;
}
