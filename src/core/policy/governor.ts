import type { Usage } from "../usage.js";
import type { CallRequest, Decision } from "./types.js";
import type { SessionReport } from "../report/types.js";

/** Milliseconds since the epoch. The core never reads the clock itself: it is handed one. */
export type Clock = () => number;

/** A pre-flight admission: the decision and, when admitted, the reservation holding its worst case. */
export interface Admission {
  decision: Decision;
  /** Present when the call was admitted: settle or release it exactly once. */
  reservationId?: string;
}

/**
 * The session's cost governor (DESIGN §6): evaluates calls against every limit and the agent
 * tree, records spend, and holds reservations for calls in flight so that concurrent admissions
 * can never exceed a budget. Methods are async because shared budgets may live in a store
 * (SQLite, Redis) that is checked-and-reserved atomically.
 */
export interface Governor {
  /** Pre-flight: the decision the call would get now. Records nothing, reserves nothing. */
  check(call: CallRequest): Promise<Decision>;
  /** Checks real usage and records it unless the decision is block (metering API /v1/record). */
  record(call: CallRequest): Promise<Decision>;
  /** Checks a worst-case estimate and, unless blocked, reserves it (the proxy, before forwarding). */
  admit(call: CallRequest): Promise<Admission>;
  /** Replaces a reservation with the real usage and records it (money already spent is always recorded). */
  settle(reservationId: string, actual: Usage): Promise<Decision>;
  /** Drops a reservation whose call billed nothing (upstream error before any usage). */
  release(reservationId: string): Promise<void>;
  /**
   * Renews the store leases of this session's open reservations (calls still in flight), so a
   * call that outlasts the lease keeps its worst case reserved. Whoever runs the session calls it
   * well within every lease (a third of it); a store that cannot answer is skipped until the next.
   */
  renewLeases(): Promise<void>;
  /**
   * The run is being stopped because of this block (the kill rule): every later check, record
   * and admission is refused with the same dimension and reason while the agent goes down, so a
   * call it makes in its last milliseconds or its SIGTERM grace period spends nothing. Calls
   * already admitted still settle (their money is spent). Only the first halt counts.
   */
  halt(stop: Pick<Decision, "dimension" | "reason">): void;
  /** The session report (DESIGN §7 JSON shape). */
  report(): Promise<SessionReport>;
}
