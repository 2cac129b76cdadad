// Runs a shell command line under a real pseudo-terminal with util-linux `script`, for the
// terminal-mode tests of `aegis run`: the command gets a controlling terminal (the pty) and is in
// its foreground process group; what the test writes to script's stdin is typed on that terminal
// ("\x03" is Ctrl-C), and script's stdout is everything the terminal showed.
import { spawn, spawnSync } from "node:child_process";

/** Why `script` cannot be used here, or undefined when it can. */
export function scriptMissing(): string | undefined {
  const probe = spawnSync("script", ["--version"], { encoding: "utf8" });
  if (probe.error !== undefined) return `util-linux \`script\` is needed for the terminal tests and is not available (${probe.error.message}); on Debian it is in the bsdutils package`;
  if (!`${probe.stdout}${probe.stderr}`.includes("util-linux")) return "the `script` found is not util-linux's (the terminal tests need `script -qec CMD /dev/null`)";
  return undefined;
}

/** Quotes one word for sh. */
export function shq(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** A command running under a pty. */
export interface PtyRun {
  /** What the terminal showed so far (carriage returns removed). */
  output(): string;
  /** Types `text` on the terminal. */
  type(text: string): void;
  /** Resolves when script has exited (it waits for the command), with everything shown. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/** Runs `command` (a sh command line) under a fresh pty in `cwd`; script is SIGKILLed after `timeoutMs`. */
export function runInPty(command: string, o: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): PtyRun {
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    cwd: o.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", TERM: "dumb", SHELL: "/bin/sh", ...o.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let shown = "";
  child.stdout.on("data", (d: Buffer) => (shown += d.toString()));
  child.stderr.on("data", (d: Buffer) => (shown += d.toString()));
  child.stdin.on("error", () => {});
  const output = (): string => shown.replaceAll("\r", "");
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the pty command did not finish in ${o.timeoutMs ?? 20_000} ms: ${command}\nterminal: ${output()}`));
    }, o.timeoutMs ?? 20_000);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output: output() });
    });
  });
  return { output, type: (text) => child.stdin.write(text), done };
}
