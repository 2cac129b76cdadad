import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { createGovernor } from "../core/policy/index.js";
import { usage } from "../core/policy/testing.js";
import { buildPricingTable } from "../core/pricing/resolve.js";
import type { DecisionLine } from "../ledger/entry.js";
import { openLedger } from "../ledger/writer.js";
import type { WhenAnswered } from "../server/answered.js";
import { createSessionMeter } from "./meter.js";

// A full collection on demand: --expose-gc set at run time makes `gc` available in a new context.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function session() {
  const dir = mkdtempSync(join(tmpdir(), "aegis-meter-"));
  dirs.push(dir);
  const ledgerPath = join(dir, "ledger.jsonl");
  const pricing = buildPricingTable();
  const governor = createGovernor({
    sessionId: "s",
    limits: { alertThreshold: 1, onExceed: "block", loop: { windowSeconds: 60, threshold: Number.POSITIVE_INFINITY } },
    agents: [],
    defaultAgent: "main",
    pricing,
    clock: Date.now,
  });
  const ledger = openLedger(ledgerPath);
  const meter = createSessionMeter({ sessionId: "s", governor, pricing, ledger, defaultAgent: "main", killOn: "fatal", clock: Date.now, notify: () => undefined, stop: () => undefined });
  const decisions = (): DecisionLine[] =>
    readFileSync(ledgerPath, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as DecisionLine)
      .filter((l) => l.type === "decision");
  return { meter, decisions };
}

describe("session meter: a proxied call in flight", () => {
  it("keeps the call's labels for its ledger line, not the call and its whenAnswered (which holds the HTTP response)", async () => {
    const { meter, decisions } = session();
    const call = usage("gpt-4o-mini", 100, 50);
    let answered: WeakRef<WhenAnswered> | undefined;
    // In a function of its own, so that no frame of this test keeps the call or its whenAnswered.
    const admit = async (): Promise<string | undefined> => {
      const whenAnswered: WhenAnswered = (action) => action();
      answered = new WeakRef(whenAnswered);
      const admission = await meter.admit({ usage: call, agentId: "researcher", actionType: "search", source: "proxy", whenAnswered });
      return admission.reservationId;
    };
    const reservationId = await admit();
    expect(reservationId).toBeDefined();
    // A later turn: a WeakRef keeps its target for the rest of the turn that made it.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(answered?.deref()).toBeUndefined();

    await meter.settle(reservationId as string, call);
    const [line] = decisions();
    expect(line).toMatchObject({ agent: "researcher", action_type: "search", source: "proxy", model: "gpt-4o-mini", action: "allow" });
  });
});
