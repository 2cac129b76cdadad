// The contract between the HTTP layer (this directory, and the provider proxy mounted on it) and
// the governed session behind it. The server knows nothing about budgets or ledgers: it parses,
// authenticates and answers; a MeteringService decides, records and applies the kill rule.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Usage } from "../core/usage.js";
import type { CallRequest, Decision } from "../core/policy/types.js";
import type { Admission } from "../core/policy/governor.js";
import type { SessionReport } from "../core/report/types.js";
import type { WhenAnswered } from "./answered.js";

/** Where a call was metered from (the ledger's `source`). */
export type CallSource = "api" | "proxy" | "client";

/** A call presented to the session, with where it came from. */
export interface MeteredCall extends CallRequest {
  source: CallSource;
  /**
   * Proxy calls only: the fingerprint an in-process integration computed for this request and
   * sent in `x-aegis-fingerprint` (its own namespace, e.g. the AI SDK's prompt), so that its
   * pre-flight hint and its record can be matched to the call. Not used for loop detection.
   */
  clientFingerprint?: string;
  /**
   * Set by the server: runs an action once the HTTP response carrying this call's decision has
   * been sent. A fatal block stops the agent through it (absent: on the next turn).
   */
  whenAnswered?: WhenAnswered;
}

/**
 * The governed session as the HTTP layer sees it. Every method writes the ledger lines, prints
 * alerts and applies the kill rule itself, so the metering API and the proxy behave identically.
 * A fatal block stops the agent only after the HTTP response that carries it has been sent
 * (through the call's `whenAnswered`, ./answered.ts): callers just answer the request as usual.
 */
export interface MeteringService {
  /** Pre-flight: the decision the call would get now. Records nothing, writes nothing, kills nothing. */
  check(call: MeteredCall): Promise<Decision>;
  /** Real usage: recorded unless blocked; one ledger line either way. */
  record(call: MeteredCall): Promise<Decision>;
  /** The proxy, before forwarding: admit the worst case and reserve it unless blocked. */
  admit(call: MeteredCall): Promise<Admission>;
  /** The proxy, when the response ended: replace the reservation with the real usage and record it. */
  settle(reservationId: string, actual: Usage, options?: { estimated?: boolean }): Promise<Decision>;
  /** The proxy, when the upstream billed nothing: drop the reservation. */
  release(reservationId: string): Promise<void>;
  /** The session report (DESIGN §7 JSON). */
  report(): Promise<SessionReport>;
}

/** Providers the proxy routes serve. */
export type ProxyProvider = "openai" | "anthropic" | "gemini";

/** A request that arrived on a proxy route, after the session token in its path was verified. */
export interface ProxyRoute {
  provider: ProxyProvider;
  /** The path after `/proxy/<token>/<provider>`, starting with "/" (e.g. "/v1/chat/completions"). */
  path: string;
  /** The query string including "?", or "" (may hold Gemini's `key=`: never log it). */
  search: string;
}

/** Handles proxy routes; registered with `MeteringServer.setProxyHandler`. */
export type ProxyHandler = (req: IncomingMessage, res: ServerResponse, route: ProxyRoute) => void | Promise<void>;
