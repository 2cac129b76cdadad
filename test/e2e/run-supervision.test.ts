// End-to-end: `aegis run` stops whole process trees — an agent that ignores SIGTERM, its
// grandchildren, one that moved to its own session — forwards signals, cleans up after an agent
// that exits leaving children, and takes the agent down even when aegis itself is SIGKILLed.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DecisionLine, SessionEndLine } from "../../src/ledger/entry.js";
import { AGENTS, isAlive, jsonLines, runAegis, scratch, TEST_PRICING, waitFor } from "../helpers/run-aegis.js";

let dir: string;
let cleanup: () => void;
let leftovers: number[] = [];
beforeEach(() => {
  ({ dir, cleanup } = scratch());
  leftovers = [];
});
afterEach(() => {
  // Never leave a test's processes behind, whatever happened.
  for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  cleanup();
});

const FAST_KILL = "run: { kill_grace_seconds: 0.5 }\n";

function pidsOf(file: string): Record<string, number> {
  const pids = JSON.parse(readFileSync(file, "utf8")) as Record<string, number>;
  leftovers.push(...Object.values(pids));
  return pids;
}

describe("aegis run: supervision", () => {
  it("stops a runaway loop within the loop window: exit 124, the ledger says why", async () => {
    const r = await runAegis({
      dir,
      config: `${TEST_PRICING}cost: { loop_detection: { window_seconds: 10, threshold: 5 } }\n${FAST_KILL}`,
      agent: [process.execPath, join(AGENTS, "runaway.mjs")],
    });
    expect(r.code).toBe(124);
    expect(r.ms).toBeLessThan(10_000);
    const answers = jsonLines<{ n?: number; action?: string }>(r.stdout).filter((a) => a.n !== undefined);
    expect(answers.slice(0, 4).every((a) => a.action === "allow")).toBe(true);
    expect(answers.length).toBeLessThanOrEqual(5);
    // A call the agent sent before its SIGTERM landed (a loaded machine) is refused as the loop too.
    const decisions = r.ledger.filter((l): l is DecisionLine => l.type === "decision");
    const blocks = decisions.slice(4);
    expect(decisions.slice(0, 4).map((d) => d.action)).toEqual(["allow", "allow", "allow", "allow"]);
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    for (const d of blocks) expect(d).toMatchObject({ action: "block", dimension: "loop", reason: blocks[0]?.reason });
    expect(blocks[0]?.reason).toMatch(/^Loop detected/);
    const end = r.ledger.at(-1) as SessionEndLine;
    expect(end).toMatchObject({ type: "session_end", exit_code: 124, stopped_reason: blocks[0]?.reason });
    expect(end.totals).toMatchObject({ calls: 4, blocked: blocks.length, spent_nanos: 4 * 11_000_000 / 10 });
    const agentPid = jsonLines<{ pid?: number }>(r.stdout)[0]?.pid;
    expect(typeof agentPid).toBe("number");
    expect(typeof agentPid === "number" && isAlive(agentPid)).toBe(false);
  });

  it("kills a tree that ignores SIGTERM, with a grandchild and a setsid escapee, after the grace period", async () => {
    const pidsFile = join(dir, "pids.json");
    const r = await runAegis({
      dir,
      config: `${TEST_PRICING}cost: { per_session_limit_usd: 1 }\n${FAST_KILL}`,
      agent: [process.execPath, join(AGENTS, "stubborn-tree.mjs"), "block"],
      env: { PIDS_FILE: pidsFile },
    });
    expect(r.code).toBe(124);
    const pids = pidsOf(pidsFile);
    expect(Object.keys(pids)).toEqual(["root", "middle", "leaf", "escaped"]);
    for (const [name, pid] of Object.entries(pids)) expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
    // SIGTERM was ignored, so the grace period passed before SIGKILL.
    expect(r.stderr).toMatch(/stopping the agent \(SIGTERM, SIGKILL after 0\.5s\)/);
  });

  it("cleans up children an agent leaves behind when it exits by itself, and keeps its exit code", async () => {
    const pidsFile = join(dir, "pids.json");
    const r = await runAegis({ dir, agent: [process.execPath, join(AGENTS, "leave-child.mjs")], env: { PIDS_FILE: pidsFile }, config: FAST_KILL });
    expect(r.code).toBe(0);
    const pids = pidsOf(pidsFile);
    expect(isAlive(pids.child ?? 0)).toBe(false);
  });

  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
    ["SIGHUP", 129],
  ] as const)("forwards %s to the agent, which dies of it: exit %i", async (signal, code) => {
    const r = await runAegis({
      dir,
      config: FAST_KILL,
      agent: [process.execPath, join(AGENTS, "sleeper.mjs")],
      onStart: (pid, output) => {
        void waitFor(() => output.stdout().includes("READY"), 10_000).then(() => process.kill(pid, signal));
      },
    });
    expect(r.code).toBe(code);
    expect((r.ledger.at(-1) as SessionEndLine)).toMatchObject({ type: "session_end", exit_code: code, signal, stopped_reason: null });
  });

  it("when aegis is SIGKILLed, its endpoints vanish and the watchdog takes the agent's tree down", async () => {
    const pidsFile = join(dir, "pids.json");
    let aegisUrl = "";
    const r = await runAegis({
      dir,
      config: FAST_KILL,
      agent: [process.execPath, "-e", `require("fs").writeFileSync(${JSON.stringify(join(dir, "url"))}, process.env.AEGIS_URL); require("child_process").spawn(process.execPath, [${JSON.stringify(join(AGENTS, "stubborn-tree.mjs"))}], { stdio: "inherit" }); process.on("SIGTERM", () => {}); setInterval(() => {}, 1000);`],
      env: { PIDS_FILE: pidsFile },
      onStart: (pid) => {
        void waitFor(() => existsSync(pidsFile), 10_000).then(() => process.kill(pid, "SIGKILL"));
      },
    });
    expect(r.signal).toBe("SIGKILL");
    aegisUrl = readFileSync(join(dir, "url"), "utf8");
    await expect(fetch(`${aegisUrl}/v1/report`)).rejects.toThrow();
    const pids = pidsOf(pidsFile);
    // Grace 0.5 s, then SIGKILL from the watchdog.
    expect(await waitFor(() => Object.values(pids).every((pid) => !isAlive(pid)), 5_000)).toBe(true);
  });
});
