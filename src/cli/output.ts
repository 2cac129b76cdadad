// The only writers to stdout and stderr. stdout carries data (tables, JSON); stderr carries
// messages. Colour follows NO_COLOR / FORCE_COLOR and whether each stream is a TTY. chalk is
// imported only when a stream is coloured: piped output (scripts, CI, `aegis run`'s stderr) never
// loads it (start-up time and idle memory are benchmarked: performance.md C2, X1).

/** The styles commands colour text with; a chalk instance is one, PLAIN leaves text as it is. */
export interface Colors {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

const unchanged = (text: string): string => text;

/** No colour: every style returns its text unchanged (what chalk does at level 0). */
export const PLAIN: Colors = { bold: unchanged, dim: unchanged, red: unchanged, yellow: unchanged };

/** Where a command writes; tests pass their own to capture output. */
export interface Output {
  /** Data for stdout (a table, JSON). */
  data(text: string): void;
  /** A message for stderr. */
  message(text: string): void;
  /** Colours for stdout text (PLAIN when stdout is not a TTY or NO_COLOR is set). */
  color: Colors;
  /** Colours for stderr text. */
  errColor: Colors;
  /** Terminal width of stdout, or undefined when not a terminal. */
  columns: number | undefined;
}

// Colour level for a stream: none when NO_COLOR is set (any value) or the stream is not a TTY.
function colorLevel(stream: NodeJS.WriteStream): 0 | 1 {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return 0;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0") return 1;
  return stream.isTTY ? 1 : 0;
}

/** The process's real output (chalk is loaded only if stdout or stderr is coloured). */
export async function processOutput(): Promise<Output> {
  const outLevel = colorLevel(process.stdout);
  const errLevel = colorLevel(process.stderr);
  const { Chalk } = outLevel + errLevel > 0 ? await import("chalk") : { Chalk: undefined };
  return {
    data: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    message: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    color: Chalk !== undefined && outLevel > 0 ? new Chalk({ level: outLevel }) : PLAIN,
    errColor: Chalk !== undefined && errLevel > 0 ? new Chalk({ level: errLevel }) : PLAIN,
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
    color: PLAIN,
    errColor: PLAIN,
    columns,
  };
  return out;
}
