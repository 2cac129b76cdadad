// Accumulates calls and session facts read from ledgers into (session, agent, model, day) cells —
// the finest grain every grouping of the report is derived from. Accumulators of separate ledger
// ranges merge, so a large ledger can be scanned in parallel. Pure: the caller deduplicates.

import type { CallFact, FlaggedDecision, SessionFacts, SpendCell } from "./types.js";

/** How many blocked/warned decisions are kept for listing (the counts are always exact). */
export const FLAGGED_LIMIT = 1000;

/** An accumulator's contents as plain data (structured-cloneable, e.g. across worker threads). */
export interface SpendState {
  cells: SpendCell[];
  flagged: FlaggedDecision[];
  /** Blocked/warned decisions beyond FLAGGED_LIMIT, counted but not kept. */
  flaggedOmitted: number;
  sessions: SessionFacts[];
  /** Billed tokens (prompt + output) of recorded calls at or after `recentFrom`. */
  recentTokens: number;
}

/** Options: `recentFrom` is the canonical ISO start of the "last minute" window. */
export interface AccumulatorOptions {
  recentFrom?: string;
}

/** Collects calls and sessions; `state()` gives the result, `merge()` folds in another range's. */
export class SpendAccumulator {
  // session → agent → model → day → cell. Nested maps, because each lookup then hashes a string
  // the parser already made (V8 caches a string's hash); a joined key would be built per call.
  private readonly cells = new Map<string, Map<string, Map<string, Map<string, SpendCell>>>>();
  private readonly flagged: FlaggedDecision[] = [];
  private flaggedOmitted = 0;
  private readonly sessions = new Map<string, SessionFacts>();
  private recentTokens = 0;

  constructor(private readonly options: AccumulatorOptions = {}) {}

  /** Adds one (already deduplicated) call. A blocked call counts as blocked and spends nothing. */
  addCall(c: CallFact): void {
    const cell = this.cell(c.session, c.agent, c.model, c.day);
    if (c.action === "block") {
      cell.blocked++;
    } else {
      cell.calls++;
      if (c.action === "warn") cell.warned++;
      cell.nanos += c.nanos;
      cell.input += c.input;
      cell.cache_read += c.cache_read;
      cell.cache_write += c.cache_write;
      cell.output += c.output;
      cell.reasoning += c.reasoning;
      const from = this.options.recentFrom;
      if (from !== undefined && c.ts >= from) this.recentTokens += c.input + c.cache_read + c.cache_write + c.output;
    }
    if (c.action !== "allow") {
      const { ts, session, agent, model, action, dimension, reason } = c;
      this.keepFlagged({ ts, session, agent, model, action, dimension, reason });
    }
  }

  /** Records a session_start (the first one seen for a session wins). */
  addSessionStart(facts: Omit<SessionFacts, "ended" | "exit_code" | "stopped_reason">): void {
    const known = this.sessions.get(facts.session_id);
    if (known === undefined) {
      this.sessions.set(facts.session_id, { ...facts, ended: null, exit_code: null, stopped_reason: null });
    } else if (known.started === null) {
      Object.assign(known, { started: facts.started, limits: facts.limits, agents: facts.agents, default_agent: facts.default_agent });
    }
  }

  /** Records a session_end. */
  addSessionEnd(sessionId: string, ts: string, exitCode: number, stoppedReason: string | null): void {
    const s = this.session(sessionId);
    if (s.ended === null) Object.assign(s, { ended: ts, exit_code: exitCode, stopped_reason: stoppedReason });
  }

  /** Folds in another accumulator's state (of a later part of the input). */
  merge(other: SpendState): void {
    for (const c of other.cells) {
      const cell = this.cell(c.session, c.agent, c.model, c.day);
      cell.calls += c.calls;
      cell.blocked += c.blocked;
      cell.warned += c.warned;
      cell.nanos += c.nanos;
      cell.input += c.input;
      cell.cache_read += c.cache_read;
      cell.cache_write += c.cache_write;
      cell.output += c.output;
      cell.reasoning += c.reasoning;
    }
    for (const f of other.flagged) this.keepFlagged(f);
    this.flaggedOmitted += other.flaggedOmitted;
    for (const s of other.sessions) {
      if (s.started !== null) this.addSessionStart(s);
      else this.session(s.session_id);
      if (s.ended !== null) this.addSessionEnd(s.session_id, s.ended, s.exit_code ?? 0, s.stopped_reason);
    }
    this.recentTokens += other.recentTokens;
  }

  /** The accumulated data. */
  state(): SpendState {
    return {
      cells: [...this.cells.values()].flatMap((a) => [...a.values()].flatMap((m) => [...m.values()].flatMap((d) => [...d.values()]))),
      flagged: this.flagged,
      flaggedOmitted: this.flaggedOmitted,
      sessions: [...this.sessions.values()],
      recentTokens: this.recentTokens,
    };
  }

  // The cell of a combination, created empty on first use.
  private cell(session: string, agent: string, model: string, day: string): SpendCell {
    let agents = this.cells.get(session);
    if (agents === undefined) this.cells.set(session, (agents = new Map()));
    let models = agents.get(agent);
    if (models === undefined) agents.set(agent, (models = new Map()));
    let days = models.get(model);
    if (days === undefined) models.set(model, (days = new Map()));
    let cell = days.get(day);
    if (cell === undefined) {
      cell = { session, agent, model, day, calls: 0, blocked: 0, warned: 0, nanos: 0, input: 0, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 };
      days.set(day, cell);
    }
    return cell;
  }

  // The facts of a session, created empty when its start line is missing (filtered or lost).
  private session(id: string): SessionFacts {
    let s = this.sessions.get(id);
    if (s === undefined) {
      s = { session_id: id, started: null, ended: null, limits: null, agents: {}, default_agent: null, exit_code: null, stopped_reason: null };
      this.sessions.set(id, s);
    }
    return s;
  }

  private keepFlagged(f: FlaggedDecision): void {
    if (this.flagged.length < FLAGGED_LIMIT) this.flagged.push(f);
    else this.flaggedOmitted++;
  }
}
