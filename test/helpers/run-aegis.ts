// Helpers for the `aegis run` end-to-end tests: run the built binary in a fresh directory with a
// config and a ledger, collect its output, parse the ledger, and check processes for life.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LedgerLine } from "../../src/ledger/entry.js";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
/** The binary under test (AEGIS_TEST_BIN may point at another build). */
export const BIN = process.env.AEGIS_TEST_BIN ?? join(REPO, "bin", "aegis.js");
export const AGENTS = join(REPO, "test", "fixtures", "agents");

/** A priced test model: $10 per million tokens in and out, so 1,000 tokens cost $0.01. */
export const TEST_PRICING = "pricing:\n  test-model: { input: 10.0, output: 10.0 }\n";

/** A scratch directory for one test. */
export function scratch(): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "aegis-e2e-run-")));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The outcome of one `aegis run`. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The ledger's lines (empty when none was written). */
  ledger: LedgerLine[];
  ledgerPath: string;
}

/** Options of `runAegis`. */
export interface RunOptions {
  dir: string;
  /** aegis.yaml text written into `dir` (omit for no config file). */
  config?: string;
  /** The agent command (after --). */
  agent: string[];
  /** Extra aegis options before --. */
  options?: string[];
  env?: NodeJS.ProcessEnv;
  /** Called with the aegis process once started (to signal it). */
  onStart?: (pid: number, output: { stdout: () => string }) => void;
  timeoutMs?: number;
  /** false: no --ledger flag (the ledger goes to ledger.dir); `ledger` is then read from nowhere. */
  ledgerFlag?: boolean;
}

/** Runs `node bin/aegis.js run --ledger <dir>/ledger.jsonl [options] -- <agent>` in `dir`. */
export function runAegis(o: RunOptions): Promise<RunResult> {
  if (o.config !== undefined) writeFileSync(join(o.dir, "aegis.yaml"), o.config);
  const ledgerPath = join(o.dir, "ledger.jsonl");
  const ledgerArgs = o.ledgerFlag === false ? [] : ["--ledger", ledgerPath];
  const args = [BIN, "run", ...ledgerArgs, ...(o.options ?? []), "--", ...o.agent];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: o.dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", ...o.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`aegis run did not finish in ${o.timeoutMs ?? 20_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, o.timeoutMs ?? 20_000);
    child.once("spawn", () => o.onStart?.(child.pid ?? 0, { stdout: () => stdout }));
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, ledger: readLedger(ledgerPath), ledgerPath });
    });
  });
}

/** Parses a ledger line by line (every line must be JSON); [] when the file does not exist. */
export function readLedger(path: string): LedgerLine[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as LedgerLine);
}

/** The JSON lines an agent printed on stdout. */
export function jsonLines<T>(stdout: string): T[] {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as T);
}

/**
 * True when `pid` is a live process: kill(pid, 0) succeeds and it is not a zombie. Zombies count
 * as gone: they run no code and are only waiting for their (new) parent to reap them, which the
 * init process of some containers never does.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !["Z", "X"].includes(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
  } catch {
    return process.platform !== "linux";
  }
}

/** Waits until `predicate` holds or `ms` pass; resolves to its last value. */
export async function waitFor(predicate: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return predicate();
}

/** Writes the driver agent's steps and returns the agent command that runs them. */
export function driver(dir: string, steps: unknown[]): string[] {
  const file = join(dir, `steps-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(steps));
  return [process.execPath, join(AGENTS, "driver.mjs"), file];
}

/** A metering API usage step for the driver. */
export function record(usage: Record<string, unknown>, path = "/v1/record"): { path: string; body: Record<string, unknown> } {
  return { path, body: usage };
}
