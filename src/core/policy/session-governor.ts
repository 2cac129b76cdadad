// The Governor of one `aegis run` (DESIGN §6). Local limits (per call, per session, per-minute
// tokens, loops) live here; the day, total and agent budgets live in a SharedBudgetStore so they
// can be persistent and shared. Admission reserves the worst case on both sides before any await
// can interleave another call, so concurrent admissions never overshoot a budget.

import type { Nanos } from "../money.js";
import { rateTokensOf, type Usage } from "../usage.js";
import type { ModelPrice, PricingTable } from "../pricing/types.js";
import { costOf } from "../pricing/cost.js";
import { callCostOf, unpricedReason } from "../pricing/call-cost.js";
import { buildReport } from "../report/build-report.js";
import type { SessionReport } from "../report/types.js";
import type { Admission, Clock, Governor } from "./governor.js";
import { type AgentSpec, type CallRequest, type Decision, type Limits } from "./types.js";
import type { BudgetLine, KeyTotals, ReserveResult, SettledLine, SharedBudgetStore } from "./store.js";
import type { AgentTree } from "./agent-tree.js";
import type { DayKey } from "./day-key.js";
import { firstViolation, localViolations, storeViolations, type Violation } from "./evaluate.js";
import { settledViolations } from "./overrun.js";
import { sessionAlert, storeAlerts } from "./alerts.js";
import { dailyKey, roleOf, TOTAL_KEY } from "./keys.js";
import { BudgetLineCache } from "./line-cache.js";
import { unpricedDecision, verdictFor } from "./verdict.js";
import { LoopDetector, loopKey } from "./loop-detector.js";
import { RateWindow } from "./rate-window.js";
import { loopReason } from "./reasons.js";
import { SessionStats } from "./session-stats.js";
import { isUnavailable, storeDownDecision, unavailable } from "./store-down.js";

/** Everything the governor needs, resolved (defaults filled in by createGovernor). */
export interface GovernorDeps {
  sessionId: string;
  limits: Limits;
  agents: readonly AgentSpec[];
  tree: AgentTree;
  defaultAgent: string;
  pricing: PricingTable;
  clock: Clock;
  store: SharedBudgetStore;
  newId: () => string;
  dayKey: DayKey;
  /** The daily budget's zone, canonical (canonicalZone): day keys are qualified by it unless it is UTC. */
  dayZone: string;
  leaseMs: number;
  /** Admit (with a logged warning) instead of blocking when the store is unavailable. */
  failOpen: boolean;
  /** Words for a day's window in daily reasons (see dayWindowLabel). */
  dayWindow: (day: string) => string;
}

// A call as the governor sees it once its agent, price and loop identity are known.
interface Prepared {
  agentId: string;
  usage: Usage;
  price: ModelPrice | undefined;
  /**
   * Why the call cannot be priced in full: a model (its own or a sub-inference's) with no price, or
   * web searches on a model with no search rate. Undefined when every part is priced.
   */
  unpriced: string | undefined;
  cost: Nanos;
  tokens: number;
  loopKey: string;
}

interface OpenReservation {
  agentId: string;
  cost: Nanos;
  lines: readonly BudgetLine[];
  /** The admission already warned (counted once in warned_count). */
  warned: boolean;
  /** The store holds a leased reservation under this id (not a fail-open admission, not a charge). */
  leased: boolean;
  /** Set when the admission also settled it in the store (a record): the store's answer. */
  charged?: SettledLine[];
}

/** The in-process Governor implementation (create it with createGovernor). */
export class SessionGovernor implements Governor {
  private sessionSpent: Nanos = 0;
  private sessionReserved: Nanos = 0;
  private readonly rate = new RateWindow();
  private readonly loops: LoopDetector;
  private readonly open = new Map<string, OpenReservation>();
  private readonly stats = new SessionStats();
  private readonly lineCache: BudgetLineCache;
  // The day dayKey gave last and its store key: built again only when the day changes.
  private lastDay = "";
  private lastDailyKey = "";
  /** Set once the run is being stopped: the block that stopped it. */
  private halted: Pick<Decision, "dimension" | "reason"> | undefined;

  constructor(private readonly d: GovernorDeps) {
    this.loops = new LoopDetector(d.limits.loop.windowSeconds * 1000);
    this.lineCache = new BudgetLineCache(d.limits, d.tree);
  }

  async check(call: CallRequest): Promise<Decision> {
    const now = this.d.clock();
    const p = this.prepare(call);
    if (this.halted !== undefined) return this.haltedDecision(p, this.halted);
    if (p.unpriced !== undefined) return this.unknownModel(p);
    const found = this.localFound(p, this.loops.peek(p.loopKey, now), now);
    const lines = this.linesFor(p.agentId, now);
    let totals: Map<string, KeyTotals>;
    try {
      totals = await this.d.store.read(lines.map((l) => l.key), now);
    } catch (error) {
      const down = unavailable(error);
      return found.length > 0 ? this.verdict(p, firstViolation(found)) : this.storeDown(p, down.message);
    }
    const uses = lines.map((l) => {
      const t = totals.get(l.key);
      return { ...l, used: (t?.spent ?? 0) + (t?.reserved ?? 0) };
    });
    found.push(...storeViolations(uses, p.cost, p.agentId, this.d.dayWindow));
    return this.verdict(p, firstViolation(found));
  }

  async admit(call: CallRequest): Promise<Admission> {
    return this.admitAs(call, false);
  }

  // Admits a call; `charge` (a record: the usage is the real one) also settles it in the store in
  // the same atomic step when the store can, so a record costs one store operation, not two.
  private async admitAs(call: CallRequest, charge: boolean): Promise<Admission> {
    const now = this.d.clock();
    const p = this.prepare(call);
    // Every attempt counts, blocked or not: a looping agent stays blocked until it stops for a window.
    const attempts = this.loops.attempt(p.loopKey, now);
    if (this.halted !== undefined) return this.blocked(this.haltedDecision(p, this.halted));
    if (p.unpriced !== undefined) return this.blocked(this.unknownModel(p));
    const found = this.localFound(p, attempts, now);
    const lines = this.linesFor(p.agentId, now);
    const enforce = this.d.limits.onExceed === "block";
    if (enforce && found.length > 0) {
      // The daily budget is checked before the per-minute rate: only then ask the store.
      if (found.every((v) => v.dimension === "per_minute_tokens")) {
        const totals = await this.d.store.read(lines.map((l) => l.key), now).catch((error: unknown) => {
          unavailable(error); // the rate limit decides; the store's answer would only name an earlier limit
          return new Map<string, KeyTotals>();
        });
        const uses = lines.map((l) => ({ ...l, used: (totals.get(l.key)?.spent ?? 0) + (totals.get(l.key)?.reserved ?? 0) }));
        found.push(...storeViolations(uses, p.cost, p.agentId, this.d.dayWindow));
      }
      return this.blocked(await this.confirmFatal(call, p, this.verdict(p, firstViolation(found)), lines, now));
    }
    // Reserve locally before the first await, so concurrent admissions see each other.
    const id = this.d.newId();
    this.sessionReserved += p.cost;
    this.rate.add(now, p.tokens, id);
    let res: ReserveResult;
    let charged: SettledLine[] | undefined;
    try {
      const store = this.d.store;
      if (charge && store.charge !== undefined) {
        const keys = this.settleKeys({ lines, agentId: p.agentId }, p.usage.model);
        const c = await store.charge({ lines, keys, amount: p.cost, enforce, now });
        res = c;
        if (c.ok) charged = c.settled;
      } else res = await store.reserve({ id, lines, amount: p.cost, enforce, now, leaseMs: this.d.leaseMs });
    } catch (error) {
      const down = isUnavailable(error);
      if (down === undefined || !this.d.failOpen) {
        this.sessionReserved -= p.cost;
        this.rate.remove(id);
        if (down === undefined) throw error;
        return this.blocked(this.storeDown(p, down.message));
      }
      // Fail open: admitted without a shared reservation; its settle reaches the store when it is back.
      const decision = found.length > 0 ? this.verdict(p, firstViolation(found)) : this.storeDown(p, down.message);
      if (decision.action === "warn") this.stats.warnedCount++;
      this.open.set(id, { agentId: p.agentId, cost: p.cost, lines, warned: decision.action === "warn", leased: false });
      return { decision, reservationId: id };
    }
    const shared = storeViolations(res.lines, p.cost, p.agentId, this.d.dayWindow);
    if (!res.ok) {
      this.sessionReserved -= p.cost;
      this.rate.remove(id);
      const fallback: Violation = { dimension: "budget", reason: "The shared budget store refused the reservation" };
      return this.blocked(await this.confirmFatal(call, p, this.verdict(p, firstViolation(shared) ?? fallback), lines, now));
    }
    found.push(...shared);
    const decision = this.verdict(p, firstViolation(found));
    const warned = decision.action === "warn";
    if (warned) this.stats.warnedCount++;
    this.open.set(id, { agentId: p.agentId, cost: p.cost, lines, warned, leased: charged === undefined, ...(charged !== undefined ? { charged } : {}) });
    return { decision, reservationId: id };
  }

  async settle(reservationId: string, actual: Usage): Promise<Decision> {
    const r = this.open.get(reservationId);
    if (r === undefined) throw new Error(`settle: unknown or already closed reservation "${reservationId}"`);
    this.open.delete(reservationId);
    const now = this.d.clock();
    const priced = callCostOf(actual, this.d.pricing);
    // The money is spent: an answer naming a model we cannot price (its own or a sub-inference's,
    // e.g. an advisor's), or web searches on a model with no search rate, bills the admitted worst
    // case, or what could be priced if that is more — never the unpriced part at zero.
    const why = unpricedReason(actual, priced);
    const cost = why === undefined ? priced.cost : Math.max(r.cost, priced.cost);
    const before = this.sessionSpent;
    this.sessionReserved -= r.cost;
    this.sessionSpent += cost;
    this.rate.remove(reservationId);
    this.rate.add(now, rateTokensOf(actual));
    this.stats.record(r.agentId, actual, cost);
    let settled: SettledLine[] = [];
    let storeNote: Violation | undefined;
    try {
      if (r.charged !== undefined) {
        // Only record() charges, with this very usage: the store already holds exactly this cost.
        if (cost !== r.cost) throw new Error(`settle: a charged call settled at ${cost} nanos instead of ${r.cost}`);
        settled = r.charged;
      } else settled = await this.d.store.settle({ id: reservationId, keys: this.settleKeys(r, actual.model), amount: cost, now });
    } catch (error) {
      // The money is spent and the ledger records it; the decision says the store missed it.
      storeNote = { dimension: "store", reason: unavailable(error).message };
    }
    const { limits } = this.d;
    const alerts = [
      ...sessionAlert(before, this.sessionSpent, limits.perSession, limits.alertThreshold),
      ...storeAlerts(settled, r.lines, limits.alertThreshold),
    ];
    const over = firstViolation(
      settledViolations(limits, { cost, sessionSpent: this.sessionSpent, settled, lines: r.lines, callAgent: r.agentId, dayWindow: this.d.dayWindow }),
    );
    const note: Violation | undefined =
      why !== undefined ? { dimension: "unknown_model", reason: `${why} (billed the admitted estimate)` } : (over ?? storeNote);
    const first = alerts[0];
    const base = { cost, cumulative: this.sessionSpent, fatal: false, alerts };
    let decision: Decision;
    if (note !== undefined) {
      decision = { action: "warn", reason: note.reason, dimension: note.dimension, ...base };
      if ((limits.onExceed === "log" && note === over) || note === storeNote) decision.log = true;
    } else if (first !== undefined) decision = { action: "warn", reason: first.message, dimension: first.dimension, ...base };
    else decision = { action: "allow", reason: "", dimension: "", ...base };
    if (decision.action === "warn" && !r.warned) this.stats.warnedCount++;
    return decision;
  }

  async release(reservationId: string): Promise<void> {
    const r = this.open.get(reservationId);
    if (r === undefined) return;
    this.open.delete(reservationId);
    this.sessionReserved -= r.cost;
    this.rate.remove(reservationId);
    // An unreachable store keeps the reservation until its lease lapses: nothing more to do.
    await this.d.store.release(reservationId).catch((error: unknown) => void unavailable(error));
  }

  halt(stop: Pick<Decision, "dimension" | "reason">): void {
    this.halted ??= { dimension: stop.dimension, reason: stop.reason };
  }

  async renewLeases(): Promise<void> {
    const ids = [...this.open].filter(([, r]) => r.leased).map(([id]) => id);
    if (ids.length === 0) return; // idle: no store traffic (and no Redis connection opened)
    // An unreachable store cannot renew; the reservations lapse if it stays away past the lease.
    await this.d.store.renew(ids, this.d.clock(), this.d.leaseMs).catch((error: unknown) => void unavailable(error));
  }

  async record(call: CallRequest): Promise<Decision> {
    const admission = await this.admitAs(call, true);
    if (admission.reservationId === undefined) return admission.decision;
    const settled = await this.settle(admission.reservationId, call.usage);
    // The admission's reason (why it warned) outranks the settle's; the settle knows the alerts.
    if (admission.decision.action !== "warn") return settled;
    return { ...admission.decision, cost: settled.cost, cumulative: settled.cumulative, alerts: settled.alerts };
  }

  async report(): Promise<SessionReport> {
    const now = this.d.clock();
    const day = this.dailyKeyAt(now);
    const totals = await this.d.store.read([TOTAL_KEY, day], now).catch((error: unknown) => {
      unavailable(error); // the report still has the session's own figures
      return new Map<string, KeyTotals>();
    });
    return buildReport({
      sessionId: this.d.sessionId,
      limits: this.d.limits,
      agents: this.d.agents,
      spendByAgent: this.stats.byAgent,
      spendByModel: this.stats.byModel,
      spent: this.sessionSpent,
      ...(totals.has(TOTAL_KEY) ? { totalSpent: totals.get(TOTAL_KEY)?.spent ?? 0 } : {}),
      callCount: this.stats.callCount,
      blockedCount: this.stats.blockedCount,
      warnedCount: this.stats.warnedCount,
      tokens: this.stats.tokens,
      dailySpent: totals.get(day)?.spent ?? 0,
      tokensLastMinute: this.rate.tokensAt(now),
    });
  }

  private prepare(call: CallRequest): Prepared {
    const agentId = call.agentId ?? this.d.defaultAgent;
    const usage = call.usage;
    const priced = callCostOf(usage, this.d.pricing);
    const { price, cost } = priced;
    const unpriced = unpricedReason(usage, priced);
    const fingerprint =
      call.fingerprint ??
      [call.actionType ?? "", usage.inputTokens, usage.cacheReadTokens, usage.cacheWrite5mTokens, usage.cacheWrite1hTokens, usage.outputTokens].join("|");
    return {
      agentId,
      usage,
      price,
      unpriced,
      cost: unpriced === undefined ? cost : 0,
      tokens: rateTokensOf(usage),
      // Keyed by the priced model, so a check naming "gpt-4o" and the record of the answer naming
      // its snapshot "gpt-4o-2024-08-06" count as the same call.
      loopKey: loopKey(agentId, price?.id ?? usage.model, fingerprint),
    };
  }

  // Loop, per-call, per-session and per-minute violations (everything this process decides alone).
  private localFound(p: Prepared, attempts: number, now: number): Violation[] {
    const { loop } = this.d.limits;
    const found: Violation[] = [];
    if (attempts >= loop.threshold) {
      found.push({ dimension: "loop", reason: loopReason(attempts, p.agentId, p.usage.model, loop.windowSeconds) });
    }
    found.push(
      ...localViolations(this.d.limits, {
        cost: p.cost,
        tokens: p.tokens,
        sessionUsed: this.sessionSpent + this.sessionReserved,
        tokensInWindow: this.rate.tokensAt(now),
      }),
    );
    return found;
  }

  private linesFor(agentId: string, now: number): readonly BudgetLine[] {
    return this.lineCache.lines(this.dailyKeyAt(now), agentId);
  }

  // The store key of the day `now` falls in, in the daily budget's zone.
  private dailyKeyAt(now: number): string {
    const day = this.d.dayKey(now);
    if (day !== this.lastDay) {
      this.lastDay = day;
      this.lastDailyKey = dailyKey(day, this.d.dayZone);
    }
    return this.lastDailyKey;
  }

  private settleKeys(r: Pick<OpenReservation, "lines" | "agentId">, model: string): readonly string[] {
    return this.lineCache.settleKeys(r.lines, r.agentId, model);
  }

  private storeDown(p: Prepared, cause: string): Decision {
    return storeDownDecision(this.d.failOpen, cause, p.cost, this.sessionSpent);
  }

  private verdict(p: Prepared, v: Violation | undefined): Decision {
    return verdictFor(this.d.limits, this.sessionSpent, p.cost, v);
  }

  // A call made while the run is being stopped: refused for the reason that stopped it.
  private haltedDecision(p: Prepared, stop: Pick<Decision, "dimension" | "reason">): Decision {
    return { action: "block", dimension: stop.dimension, reason: stop.reason, cost: p.cost, cumulative: this.sessionSpent, fatal: true, alerts: [] };
  }

  private unknownModel(p: Prepared): Decision {
    return unpricedDecision(p.unpriced ?? "", this.sessionSpent);
  }

  // A session, daily or total block stops the run only when that budget is really exhausted: the
  // spend already settled — not the reservations of calls still in flight, not this call's worst
  // case — leaves no room for the least this call can cost. Otherwise only this call is refused
  // (the agent may go on with cheaper calls or a lower max_tokens). Loops are always fatal.
  private async confirmFatal(call: CallRequest, p: Prepared, d: Decision, lines: readonly BudgetLine[], now: number): Promise<Decision> {
    if (!d.fatal || d.dimension === "loop") return d;
    const least = call.minimumUsage !== undefined && p.price !== undefined ? costOf(call.minimumUsage, p.price) : p.cost;
    const { limits } = this.d;
    let exhausted = false;
    if (d.dimension === "per_session") exhausted = limits.perSession !== undefined && this.sessionSpent + least > limits.perSession;
    else {
      const kind = d.dimension === "daily" ? "daily" : "total";
      const line = lines.find((l) => roleOf(l.key).kind === kind);
      if (line?.limit !== undefined) {
        // An unreachable store cannot prove exhaustion: the call is refused, the run goes on.
        const spent = await this.d.store.read([line.key], now).then(
          (t) => t.get(line.key)?.spent ?? 0,
          (error: unknown): undefined => void unavailable(error),
        );
        exhausted = spent !== undefined && spent + least > line.limit;
      }
    }
    return exhausted ? d : { ...d, fatal: false };
  }

  private blocked(decision: Decision): Admission {
    if (decision.action === "block") this.stats.blockedCount++;
    return { decision };
  }
}
