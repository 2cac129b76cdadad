// End-to-end: `aegis run` in a terminal (a real pty from util-linux `script`). In the foreground of
// a terminal the agent stays in aegis's process group and keeps the controlling terminal: it can
// open /dev/tty, a Ctrl-C reaches it exactly once (from the terminal, not again from aegis), and a
// budget stop kills its tree by pid without touching the rest of the shell job.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AGENTS, BIN, isAlive, scratch, TEST_PRICING, waitFor } from "../helpers/run-aegis.js";
import { runInPty, scriptMissing, shq } from "../helpers/pty.js";

const missing = scriptMissing();

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
const NODE = shq(process.execPath);
const TTY_AGENT = shq(join(AGENTS, "tty-agent.mjs"));

// `aegis run` as a sh command line, with the ledger in the test's directory.
const aegisRun = (agent: string): string => `${NODE} ${shq(BIN)} run --ledger ${shq(join(dir, "ledger.jsonl"))} -- ${agent}`;

// The agent's `JOB <pgrp> <tpgid> <pid> <ppid>` line.
function jobOf(output: string): { pgrp: number; tpgid: number; pid: number; ppid: number } | undefined {
  const match = /^JOB (-?\d+) (-?\d+) (\d+) (\d+)$/m.exec(output);
  return match === null ? undefined : { pgrp: Number(match[1]), tpgid: Number(match[2]), pid: Number(match[3]), ppid: Number(match[4]) };
}

// The state letter of /proc/<pid>/stat (T: stopped), or "gone".
function stateOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return "gone";
  }
}

// Skipped without `script`, except in CI, where its absence fails the suite with the reason.
describe.skipIf(missing !== undefined && !process.env.CI)("aegis run in a terminal", () => {
  beforeAll(() => {
    if (missing !== undefined) throw new Error(missing);
  });

  it("the agent keeps the controlling terminal: it opens /dev/tty, prompts, reads the answer, and its output arrives", async () => {
    const run = runInPty(`exec ${aegisRun(`${NODE} ${TTY_AGENT} prompt`)}`, { cwd: dir, env: { FORCE_COLOR: "0" } });
    expect(await waitFor(() => run.output().includes("password? ") || run.output().includes("NO_TTY"), 10_000)).toBe(true);
    expect(run.output()).not.toMatch(/NO_TTY/);
    run.type("hunter2\n");
    const r = await run.done;
    expect(r.output).not.toMatch(/NO_TTY/);
    expect(r.output).toMatch(/^GOT hunter2$/m);
    expect(r.code).toBe(0);
    // The agent is in the terminal's foreground process group (so Ctrl-Z stops it with aegis).
    const job = jobOf(r.output);
    expect(job).toBeDefined();
    expect(job?.pgrp).toBe(job?.tpgid);
    expect(r.output).toMatch(/aegis: spent \$0\.0000 in 0 calls/);
  });

  it("Ctrl-Z stops aegis and the agent together, and fg resumes both (job control of a shell with set -m)", async () => {
    // `set -m`: sh runs aegis as a job in a process group of its own and gives it the terminal,
    // as an interactive shell does. When the job stops, sh waits for a line, then runs fg.
    const line = `set -m; ${aegisRun(`${NODE} ${TTY_AGENT} prompt`)}; echo STATUS=$?; read x; echo RESUMING; fg; echo EXIT=$?`;
    const run = runInPty(line, { cwd: dir });
    expect(await waitFor(() => run.output().includes("password? ") || run.output().includes("NO_TTY"), 10_000)).toBe(true);
    expect(run.output()).not.toMatch(/NO_TTY/);
    const job = jobOf(run.output());
    if (job === undefined) throw new Error(`no JOB line in ${run.output()}`);
    leftovers.push(job.pid, job.ppid);
    run.type("\x1a");
    expect(await waitFor(() => /STATUS=148/.test(run.output()), 10_000)).toBe(true);
    // Both stopped: aegis (the agent's parent) and the agent.
    await waitFor(() => stateOf(job.ppid) === "T" && stateOf(job.pid) === "T", 5_000);
    expect({ aegis: stateOf(job.ppid), agent: stateOf(job.pid) }).toEqual({ aegis: "T", agent: "T" });
    run.type("\n");
    expect(await waitFor(() => run.output().includes("RESUMING"), 10_000)).toBe(true);
    // Typed after fg: the agent, in the foreground again, reads it.
    run.type("hunter2\n");
    const r = await run.done;
    expect(r.output).toMatch(/^GOT hunter2$/m);
    expect(r.output).toMatch(/^EXIT=0$/m);
  });

  it("Ctrl-C reaches the agent exactly once (the terminal sends it; aegis does not forward it again)", async () => {
    const run = runInPty(`exec ${aegisRun(`${NODE} ${TTY_AGENT} count-sigint`)}`, { cwd: dir });
    expect(await waitFor(() => /^READY$/m.test(run.output()) || /NO_TTY/.test(run.output()), 10_000)).toBe(true);
    expect(run.output()).not.toMatch(/NO_TTY/);
    run.type("\x03");
    const r = await run.done;
    // (The terminal echoes ^C on the agent's line.)
    expect(/SIGINTS (\d+)$/m.exec(r.output)?.[1]).toBe("1");
    // The agent handled it and exited 0; one Ctrl-C is not a reason for aegis to stop anything.
    expect(r.code).toBe(0);
    expect(r.output).not.toMatch(/stopping the agent/);
  });

  it("the third Ctrl-C still stops the agent's tree (each reached the agent once)", async () => {
    writeFileSync(join(dir, "aegis.yaml"), FAST_KILL);
    const run = runInPty(`exec ${aegisRun(`${NODE} ${TTY_AGENT} hold-sigint`)}`, { cwd: dir });
    expect(await waitFor(() => /^READY$/m.test(run.output()) || /NO_TTY/.test(run.output()), 10_000)).toBe(true);
    expect(run.output()).not.toMatch(/NO_TTY/);
    // One at a time: signals of one kind that arrive before the first is handled merge into one.
    for (let i = 1; i <= 3; i++) {
      run.type("\x03");
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const r = await run.done;
    expect(r.output).toMatch(/aegis: SIGINT received: stopping the agent and its processes/);
    expect(/SIGINTS (\d+)$/m.exec(r.output)?.[1]).toBe("3");
    expect(r.code).toBe(143);
  });

  it("a budget stop kills the agent and its grandchildren (exit 124), and nothing else of the shell job", async () => {
    const pidsFile = join(dir, "pids.json");
    const jobFile = join(dir, "job");
    writeFileSync(join(dir, "aegis.yaml"), `${TEST_PRICING}cost: { per_session_limit_usd: 1 }\n${FAST_KILL}`);
    // The agent (sh, which records its pgrp and tpgid, then becomes stubborn-tree.mjs) makes a
    // call that blocks fatally; its tree ignores SIGTERM and has a grandchild and a setsid escapee.
    const record = `cut -d" " -f5,8 /proc/$$/stat > ${shq(jobFile)}; exec ${NODE} ${shq(join(AGENTS, "stubborn-tree.mjs"))} block`;
    // One sh job: a background sleep (in the same process group as aegis and the agent: `sh -c`
    // has no job control), then aegis, then its exit code and whether the sleep is still there
    // (with its process group). Signalling the group would kill the sleep and sh itself, and
    // nothing after aegis would be printed. The sleep is checked from inside the job: when sh
    // ends, the terminal hangs up and SIGHUP ends the sleep anyway.
    const after = `echo EXIT=$?; kill -0 $s && echo "SLEEP ALIVE $(cut -d" " -f5 /proc/$s/stat)"; kill $s`;
    const line = `sleep 30 & s=$!; ${aegisRun(`sh -c ${shq(record)}`)}; ${after}`;
    const r = await runInPty(line, { cwd: dir, env: { PIDS_FILE: pidsFile } }).done;
    const pids = JSON.parse(readFileSync(pidsFile, "utf8")) as Record<string, number>;
    leftovers.push(...Object.values(pids));

    expect(r.output).toMatch(/^EXIT=124$/m);
    expect(r.output).toMatch(/stopping the agent \(SIGTERM, SIGKILL after 0\.5s\)/);
    expect(r.output).toMatch(/aegis: spent \$0\.0000 in 0 calls \(1 blocked/);
    expect(Object.keys(pids)).toEqual(["root", "middle", "leaf", "escaped"]);
    for (const [name, pid] of Object.entries(pids)) expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
    // The agent ran in the terminal's foreground group, the sleep's group, and the sleep survived.
    const [agentPgrp, agentTpgid] = readFileSync(jobFile, "utf8").trim().split(" ");
    expect(agentPgrp).toBe(agentTpgid);
    expect(r.output).toMatch(new RegExp(`^SLEEP ALIVE ${agentPgrp}$`, "m"));
  });

  it("when aegis is SIGKILLed, the watchdog kills the agent's tree by pid, not the shell job's process group", async () => {
    const pidsFile = join(dir, "pids.json");
    const idsFile = join(dir, "ids");
    writeFileSync(join(dir, "aegis.yaml"), FAST_KILL);
    // The agent records aegis's pid (its parent) and becomes stubborn-tree.mjs (ignores SIGTERM).
    const record = `echo $PPID > ${shq(idsFile)}; exec ${NODE} ${shq(join(AGENTS, "stubborn-tree.mjs"))}`;
    // After aegis dies, sh waits out the watchdog (grace 0.5 s, then SIGKILL) and reports the sleep.
    const after = `echo EXIT=$?; sleep 2; kill -0 $s && echo SLEEP ALIVE; kill $s`;
    const line = `sleep 30 & s=$!; ${aegisRun(`sh -c ${shq(record)}`)}; ${after}`;
    const run = runInPty(line, { cwd: dir, env: { PIDS_FILE: pidsFile } });
    expect(await waitFor(() => existsSync(pidsFile), 10_000)).toBe(true);
    const pids = JSON.parse(readFileSync(pidsFile, "utf8")) as Record<string, number>;
    leftovers.push(...Object.values(pids));
    process.kill(Number(readFileSync(idsFile, "utf8")), "SIGKILL");
    const r = await run.done;
    expect(r.output).toMatch(/^EXIT=137$/m);
    expect(await waitFor(() => Object.values(pids).every((pid) => !isAlive(pid)), 5_000)).toBe(true);
    expect(r.output).toMatch(/^SLEEP ALIVE$/m);
  });
});
