// The in-process tracker: the session governor (limits, agent tree, loop detection, pricing)
// running inside the agent's own process, for agents governed without `aegis run`.
import { randomUUID } from "node:crypto";
import { ConfigError } from "../errors.js";
import { validateConfigText, toAgentSpecs, toLimits, toPricingOverrides, type AegisConfigInput } from "../config/index.js";
import { createGovernor, type Clock } from "../core/policy/index.js";
import type { AgentSpec, Decision, Limits } from "../core/policy/types.js";
import type { ModelPrice } from "../core/pricing/types.js";
import { buildPricingTable } from "../core/pricing/resolve.js";
import { decisionToJson } from "../server/decision-json.js";
import { AegisBlockedError, type MeterDecision } from "../client/index.js";
import type { Tracker } from "./tracker.js";

/** Settings of the in-process cost engine. */
export interface LocalTrackerOptions {
  /** The aegis.yaml settings as an object (`cost`, `agents`, `pricing` …), validated like the file. */
  config?: AegisConfigInput;
  /** Limits in the core's units (nanos); replaces config `cost`. */
  limits?: Limits;
  /** The delegation tree; replaces config `agents`. */
  agents?: AgentSpec[];
  /** Extra or overriding model prices; replaces config `pricing`. */
  pricing?: ModelPrice[];
  /** Agent of calls that name none (default: the tree's only root, else "main"). */
  defaultAgent?: string;
  sessionId?: string;
  /** Milliseconds since the epoch (default Date.now); tests inject one. */
  clock?: Clock;
  /** Where alerts and `on_exceed: log` reasons go (default: one line to stderr). */
  notify?: (line: string) => void;
}

// Validates config settings exactly as aegis.yaml is validated (JSON is YAML), naming each bad field.
function validated(input: AegisConfigInput | undefined): ReturnType<typeof validateConfigText>["config"] & object {
  const result = validateConfigText(input === undefined ? "" : JSON.stringify(input), "tracker config");
  if (result.config === undefined) {
    const lines = result.problems.map((p) => p.message + (p.suggestion !== undefined ? ` (${p.suggestion})` : ""));
    throw new ConfigError(`invalid tracker config (${lines.length} problem${lines.length === 1 ? "" : "s"}):\n${lines.map((l) => `  ${l}`).join("\n")}`, lines);
  }
  return result.config;
}

/** Creates a tracker backed by a governor in this process. Throws ConfigError on bad settings. */
export function createLocalTracker(options: LocalTrackerOptions = {}): Tracker {
  const config = validated(options.config);
  const sessionId = options.sessionId ?? randomUUID();
  const governor = createGovernor({
    sessionId,
    limits: options.limits ?? toLimits(config),
    agents: options.agents ?? toAgentSpecs(config),
    pricing: buildPricingTable(options.pricing ?? toPricingOverrides(config)),
    clock: options.clock ?? Date.now,
    ...(options.defaultAgent !== undefined ? { defaultAgent: options.defaultAgent } : {}),
  });
  const notify = options.notify ?? ((line: string) => void process.stderr.write(`${line}\n`));

  // What the metering service does for a session, minus the ledger: surface alerts and log reasons, throw on block.
  const answer = (decision: Decision): MeterDecision => {
    for (const alert of decision.alerts) notify(`aegis: alert: ${alert.message}`);
    if (decision.log === true) notify(`aegis: limit exceeded (on_exceed: log): ${decision.reason}`);
    const json = decisionToJson(decision);
    if (json.action === "block") throw new AegisBlockedError(json);
    return json;
  };

  return {
    mode: "local",
    check: async (usage, o = {}) => answer(await governor.check({ usage, ...o })),
    record: async (usage, o = {}) => answer(await governor.record({ usage, ...o })),
    report: () => governor.report(),
  };
}
