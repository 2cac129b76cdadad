// End-to-end: the exit codes of `aegis run` (DESIGN §8) and the agent's environment (§3).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SessionEndLine, SessionStartLine } from "../../src/ledger/entry.js";
import { AGENTS, jsonLines, runAegis, scratch } from "../helpers/run-aegis.js";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = scratch()));
afterEach(() => cleanup());

const exitAgent = (...args: string[]) => [process.execPath, join(AGENTS, "exit.mjs"), ...args];

describe("aegis run: exit codes", () => {
  it.each([
    [["0"], 0],
    [["7"], 7],
    [["signal", "SIGTERM"], 143],
    [["signal", "SIGKILL"], 137],
  ])("passes the agent's end through: %j → %i", async (args, code) => {
    const r = await runAegis({ dir, agent: exitAgent(...args) });
    expect(r.code).toBe(code);
    const end = r.ledger.at(-1) as SessionEndLine;
    expect(end).toMatchObject({ type: "session_end", exit_code: code, stopped_reason: null });
    expect(r.stderr).toMatch(/aegis: spent \$0\.0000 in 0 calls \(0 blocked, 0 warned\); ledger /);
  });

  it("127 when the command is not found", async () => {
    const r = await runAegis({ dir, agent: ["aegis-no-such-command-xyz"] });
    expect(r.code).toBe(127);
    expect(r.stderr).toContain("aegis: agent command not found: aegis-no-such-command-xyz");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.ledger.at(-1)).toMatchObject({ type: "session_end", exit_code: 127 });
  });

  it("2 for an empty --agent: a usage error, named, before anything starts", async () => {
    const r = await runAegis({ dir, agent: ["true"], options: ["--agent", ""] });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--agent: expected an agent id, received an empty string");
    expect(r.ledger).toEqual([]);
  });

  it("126 when the command exists but cannot be executed", async () => {
    const script = join(dir, "not-executable.sh");
    writeFileSync(script, "#!/bin/sh\necho hi\n");
    chmodSync(script, 0o644);
    expect((await runAegis({ dir, agent: [script] })).code).toBe(126);
    const folder = join(dir, "a-directory");
    mkdirSync(folder);
    const r = await runAegis({ dir, agent: [folder] });
    expect(r.code).toBe(126);
    expect(r.stderr).toContain("aegis: agent command cannot be executed:");
  });

  it("125 for an invalid config, naming the problem, without starting the agent", async () => {
    const marker = join(dir, "started");
    const r = await runAegis({
      dir,
      config: "cost:\n  per_call_limit_usd: -1\n  on_exceed: explode\nrun: { kill_grace_seconds: 1 }\n",
      agent: [process.execPath, "-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`],
    });
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/per_call_limit_usd/);
    expect(r.stderr).toMatch(/on_exceed/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(marker)).toBe(false);
  });

  it("125 for a --config that does not exist", async () => {
    const r = await runAegis({ dir, options: ["--config", "missing.yaml"], agent: exitAgent("0") });
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/missing\.yaml not found/);
  });

  it("gives the agent the variables of DESIGN §3 and records the session", async () => {
    const r = await runAegis({ dir, agent: [process.execPath, join(AGENTS, "env.mjs")], options: ["--agent", "worker"] });
    expect(r.code).toBe(0);
    const env = jsonLines<Record<string, string>>(r.stdout)[0] ?? {};
    const url = env.AEGIS_URL ?? "";
    const token = env.AEGIS_TOKEN ?? "";
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(env.OPENAI_BASE_URL).toBe(`${url}/proxy/${token}/openai/v1`);
    expect(env.ANTHROPIC_BASE_URL).toBe(`${url}/proxy/${token}/anthropic`);
    expect(env.GOOGLE_GEMINI_BASE_URL).toBe(`${url}/proxy/${token}/gemini`);
    const start = r.ledger[0] as SessionStartLine;
    expect(start).toMatchObject({ type: "session_start", session_id: env.AEGIS_SESSION_ID, default_agent: "worker", v: 1 });
    expect(JSON.stringify(r.ledger)).not.toContain(token);
  });
});
