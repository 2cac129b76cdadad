// The session's MeteringService: the governor's decisions, written to the ledger (one line per
// decision; alerts and `log`-mode reasons as their own lines), printed when they matter, counted
// for the end-of-run summary, and turned into a stop of the agent by the kill rule (run.kill_on).
// It also keeps a call that went through the proxy *and* an in-process integration from being
// charged twice: integrations' pre-flight checks leave attribution hints for the proxy
// (./attribution-hints.ts), and a record of a call the proxy already metered is answered without
// being recorded again (./proxy-calls.ts).
import { nanosToUsd, type Nanos } from "../core/money.js";
import { resolveModel } from "../core/pricing/resolve.js";
import type { PricingTable } from "../core/pricing/types.js";
import type { Governor } from "../core/policy/governor.js";
import type { Decision } from "../core/policy/types.js";
import type { Usage } from "../core/usage.js";
import { costOf } from "../core/pricing/cost.js";
import { LEDGER_VERSION, type DecisionLine, type LedgerSubInference, type LedgerTokens } from "../ledger/entry.js";
import type { LedgerWriter } from "../ledger/writer.js";
import { rightAway, type MeteredCall, type MeteringService } from "../server/index.js";
import { createHintBook } from "./attribution-hints.js";
import { createProxyCallBook, type ProxyCallMatch } from "./proxy-calls.js";

/** Which blocks stop the agent (config `run.kill_on`). */
export type KillOn = "fatal" | "always" | "never";

/** Totals of what the session's ledger recorded. */
export interface MeterTotals {
  spent: Nanos;
  /** Recorded (allowed or warned) calls. */
  calls: number;
  blocked: number;
  warned: number;
}

/** Dependencies of the session meter. */
export interface SessionMeterOptions {
  sessionId: string;
  governor: Governor;
  pricing: PricingTable;
  ledger: LedgerWriter;
  defaultAgent: string;
  killOn: KillOn;
  clock: () => number;
  /** One line to stderr. */
  notify: (line: string) => void;
  /** Stops the agent (called after the blocked call has been answered). */
  stop: (reason: string, decision: Decision) => void;
}

/** The session meter: a MeteringService plus its running totals. */
export interface SessionMeter extends MeteringService {
  totals(): MeterTotals;
}

// What a reservation was for, so its settlement can be written as a full ledger line: the call's
// labels, copied out. Not the call itself: its `whenAnswered` holds the HTTP response, and with it
// the socket, the request and their buffers. On Node 20 a value deleted from a Map that sees
// constant set/delete churn stays reachable to the young-generation collector until the next full
// GC (bench/map-churn.mjs: 64 live entries of 8 KB each made every scavenge copy 13-15 MB, against
// 0.3-0.5 MB with the same values in array slots), so `pending` holding calls kept settled
// calls' responses alive: at c=64 each scavenge promoted 0.82 MB and paused 3.3 ms on average,
// against 0.29 MB and 2.4 ms with the labels only. A settlement's decision is never a block, so it
// never needs `whenAnswered`.
type Pending = Pick<MeteredCall, "agentId" | "source" | "actionType">;

// A usage's token counts as the ledger spells them.
function ledgerTokens(usage: Usage): LedgerTokens {
  const tokens: LedgerTokens = {
    input: usage.inputTokens,
    cache_read: usage.cacheReadTokens,
    cache_write_5m: usage.cacheWrite5mTokens,
    cache_write_1h: usage.cacheWrite1hTokens,
    output: usage.outputTokens,
    reasoning: usage.reasoningTokens,
  };
  const searches = usage.webSearchRequests ?? 0;
  if (searches > 0) tokens.web_search_requests = searches;
  return tokens;
}

// A call's sub-inferences (advisor iterations) as the ledger spells them, each priced on its own.
function ledgerSubInferences(pricing: PricingTable, subs: readonly Usage[]): LedgerSubInference[] {
  return subs.map((sub) => {
    const price = resolveModel(pricing, sub.model);
    return { model: sub.model, priced_as: price?.id ?? null, tokens: ledgerTokens(sub), cost_nanos: price === undefined ? null : costOf(sub, price) };
  });
}

/** Creates the meter of one session. */
export function createSessionMeter(o: SessionMeterOptions): SessionMeter {
  const totals: MeterTotals = { spent: 0, calls: 0, blocked: 0, warned: 0 };
  const pending = new Map<string, Pending>();
  let seq = 0;
  // The ledger's timestamp of now. Under load several calls land in one millisecond, and
  // toISOString costs about a microsecond, so the last millisecond's text is kept.
  let isoAt = NaN;
  let isoText = "";
  const iso = (): string => {
    const now = o.clock();
    if (now !== isoAt) {
      isoText = new Date(now).toISOString();
      isoAt = now;
    }
    return isoText;
  };
  const hints = createHintBook({ clock: o.clock });
  // Two model ids are the same call's when they price as one entry (a snapshot id and its alias).
  const pricedAs = (model: string): string => resolveModel(o.pricing, model)?.id ?? `unpriced:${model}`;
  const proxyCalls = createProxyCallBook({ clock: o.clock, sameModel: (a, b) => a === b || pricedAs(a) === pricedAs(b) });

  const shouldStop = (d: Decision): boolean => d.action === "block" && (o.killOn === "always" || (o.killOn === "fatal" && d.fatal));

  // Writes the decision's lines, prints what the user must see, and applies the kill rule; the
  // answer is the decision line's id.
  const account = (call: Pending & Pick<MeteredCall, "whenAnswered">, usage: Usage, d: Decision, extra: { estimated?: boolean } = {}): string => {
    const id = `${o.sessionId}-${++seq}`;
    const price = resolveModel(o.pricing, usage.model);
    const line: DecisionLine = {
      v: LEDGER_VERSION,
      type: "decision",
      ts: iso(),
      session_id: o.sessionId,
      id,
      agent: call.agentId ?? o.defaultAgent,
      model: usage.model,
      priced_as: price?.id ?? null,
      provider: price?.provider ?? null,
      source: call.source,
      action: d.action,
      dimension: d.dimension,
      reason: d.reason,
      tokens: ledgerTokens(usage),
      cost_usd: nanosToUsd(d.cost),
      cost_nanos: d.cost,
      cumulative_usd: nanosToUsd(d.cumulative),
    };
    if (call.actionType !== undefined) line.action_type = call.actionType;
    if (extra.estimated === true) line.estimated = true;
    if (usage.subInferences !== undefined && usage.subInferences.length > 0) line.sub_inferences = ledgerSubInferences(o.pricing, usage.subInferences);
    o.ledger.write(line);
    if (d.action === "block") totals.blocked++;
    else {
      totals.calls++;
      totals.spent += d.cost;
      if (d.action === "warn") totals.warned++;
    }
    for (const alert of d.alerts) {
      o.ledger.write({ v: LEDGER_VERSION, type: "alert", ts: iso(), session_id: o.sessionId, dimension: alert.dimension, ...(alert.agentId !== undefined ? { agent: alert.agentId } : {}), utilization: alert.utilization, threshold: alert.threshold, message: alert.message });
      o.notify(`aegis: alert: ${alert.message}`);
    }
    if (d.log === true) {
      o.ledger.write({ v: LEDGER_VERSION, type: "log", ts: iso(), session_id: o.sessionId, call_id: id, dimension: d.dimension, message: d.reason });
      o.notify(d.dimension === "store" ? `aegis: ${d.reason}` : `aegis: limit exceeded (on_exceed: log): ${d.reason}`);
    }
    // A proxied agent never sees its decisions, so a limit it passed in warn mode is said here
    // (log mode said it above; alerts have their own line).
    if (d.action === "warn" && d.log !== true && call.source === "proxy" && !d.dimension.endsWith("_alert")) {
      o.notify(`aegis: limit exceeded (on_exceed: warn): ${d.reason}`);
    }
    if (d.action === "block") {
      const who = line.agent === o.defaultAgent ? "" : ` (agent ${line.agent})`;
      o.notify(`aegis: blocked a ${usage.model} call${who}: ${d.reason}`);
      if (shouldStop(d)) {
        // Later calls are refused from now on; the stop itself runs once this blocked call's HTTP
        // response has been sent, so the agent hears why.
        o.governor.halt(d);
        (call.whenAnswered ?? rightAway)(() => o.stop(d.reason, d));
      }
    }
    return id;
  };

  // A record of a call the proxy already metered: a non-spend ledger line and an `allow` naming it.
  const duplicate = (call: MeteredCall, match: ProxyCallMatch): Decision => {
    const agent = call.agentId ?? o.defaultAgent;
    o.ledger.write({
      v: LEDGER_VERSION,
      type: "duplicate",
      ts: iso(),
      session_id: o.sessionId,
      duplicate_of: match.callId,
      agent,
      charged_agent: match.agentId,
      model: call.usage.model,
      source: call.source === "client" ? "client" : "api",
      tokens: ledgerTokens(call.usage),
      ...(call.actionType !== undefined ? { action_type: call.actionType } : {}),
    });
    const charged = match.agentId === agent ? "" : ` and charged to agent ${match.agentId}`;
    return {
      action: "allow",
      reason: `already metered by the aegis proxy as call ${match.callId}${charged}; not recorded again`,
      dimension: "",
      cost: match.cost,
      cumulative: totals.spent,
      fatal: false,
      alerts: [],
      duplicateOf: match.callId,
    };
  };

  return {
    async check(call) {
      const decision = await o.governor.check(call);
      // An integration about to make this call: if it reaches the proxy unlabelled, it is this agent's.
      if (call.source !== "proxy" && decision.action !== "block" && call.agentId !== undefined && call.fingerprint !== undefined) hints.remember(call.fingerprint, call.agentId);
      return decision;
    },
    async record(call) {
      if (call.source !== "proxy") {
        const match = await proxyCalls.claim(call.usage, call.fingerprint);
        if (match !== undefined) return duplicate(call, match);
      }
      const decision = await o.governor.record(call);
      account(call, call.usage, decision);
      return decision;
    },
    async admit(incoming) {
      let call = incoming;
      if (call.source === "proxy" && call.agentId === undefined) {
        const hinted = (call.fingerprint !== undefined ? hints.take(call.fingerprint) : undefined) ?? (call.clientFingerprint !== undefined ? hints.take(call.clientFingerprint) : undefined);
        if (hinted !== undefined) call = { ...call, agentId: hinted };
      }
      const admission = await o.governor.admit(call);
      if (admission.reservationId === undefined) account(call, call.usage, admission.decision);
      else {
        pending.set(admission.reservationId, { agentId: call.agentId, source: call.source, actionType: call.actionType });
        proxyCalls.admitted(admission.reservationId, [call.fingerprint, call.clientFingerprint].filter((f): f is string => f !== undefined));
      }
      return admission;
    },
    async settle(reservationId, actual, options = {}) {
      const p = pending.get(reservationId);
      pending.delete(reservationId);
      // Known before any await, so a record racing this settlement finds the call.
      if (options.estimated !== true) proxyCalls.settling(reservationId, actual);
      try {
        const decision = await o.governor.settle(reservationId, actual);
        const call: Pending = p ?? { source: "proxy" };
        const callId = account(call, actual, decision, options);
        if (options.estimated === true) proxyCalls.ended(reservationId);
        else proxyCalls.settled(reservationId, { callId, agentId: call.agentId ?? o.defaultAgent, cost: decision.cost });
        return decision;
      } catch (error) {
        proxyCalls.ended(reservationId);
        throw error;
      }
    },
    async release(reservationId) {
      pending.delete(reservationId);
      proxyCalls.ended(reservationId);
      await o.governor.release(reservationId);
    },
    report: () => o.governor.report(),
    totals: () => ({ ...totals }),
  };
}
