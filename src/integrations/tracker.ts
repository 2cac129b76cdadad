// The tracker behind every in-process integration: check a call before it is made, record its
// real usage after, report. One API, two backings: the cost engine in this process ("local"), or
// the metering API of the `aegis run` the process runs under ("remote"), so a governed agent's
// sub-agents roll up into the session's tree. A block throws AegisBlockedError either way.
import type { Usage } from "../core/usage.js";
import type { SessionReport } from "../core/report/types.js";
import type { MeterDecision } from "../client/index.js";
import { createLocalTracker, type LocalTrackerOptions } from "./local-tracker.js";
import { createRemoteTracker } from "./remote-tracker.js";

export { AegisBlockedError, NotUnderAegisError, AegisRequestError, type MeterDecision } from "../client/index.js";
export type { LocalTrackerOptions } from "./local-tracker.js";

/** Where a tracker's decisions are made. */
export type TrackerMode = "local" | "remote";

/** Who made a call and what it asked, for attribution and loop detection. */
export interface CallOptions {
  /** Agent of the delegation tree the call is charged to (default: the tree's root). */
  agentId?: string;
  /** Fingerprint of the request content: the same prompt gives the same fingerprint (loop detection). */
  fingerprint?: string;
  /** Free label written to the ledger (metering API `action_type`). */
  actionType?: string;
}

/** The cost engine as integrations see it. Decisions use the metering API's JSON shape. */
export interface Tracker {
  readonly mode: TrackerMode;
  /** Pre-flight: would this (estimated) call be allowed now? Records nothing. Throws AegisBlockedError on block. */
  check(usage: Usage, options?: CallOptions): Promise<MeterDecision>;
  /** Records a call's real usage. Throws AegisBlockedError on block (the call is then not recorded, as in the metering API). */
  record(usage: Usage, options?: CallOptions): Promise<MeterDecision>;
  /** The session report (DESIGN §7 JSON). */
  report(): Promise<SessionReport>;
}

/** Options of createTracker: the mode, plus the local engine's settings (ignored in remote mode). */
export interface TrackerOptions extends LocalTrackerOptions {
  /** "auto" (default): remote when AEGIS_URL and AEGIS_TOKEN are set (under `aegis run`), else local. */
  mode?: "auto" | TrackerMode;
  /** Metering API of the session (default: AEGIS_URL / AEGIS_TOKEN). */
  url?: string;
  token?: string;
}

/**
 * Creates a tracker. Under `aegis run` it talks to the session's metering API, whose config
 * governs (limits, agents and pricing passed here are then ignored); elsewhere it runs the cost
 * engine in this process with `config` (aegis.yaml keys) or the defaults.
 */
export function createTracker(options: TrackerOptions = {}): Tracker {
  const mode = options.mode ?? "auto";
  const env = process.env;
  const underAegis = (options.url ?? env.AEGIS_URL ?? "") !== "" && (options.token ?? env.AEGIS_TOKEN ?? "") !== "";
  if (mode === "remote" || (mode === "auto" && underAegis)) {
    return createRemoteTracker({ ...(options.url !== undefined ? { url: options.url } : {}), ...(options.token !== undefined ? { token: options.token } : {}) });
  }
  return createLocalTracker(options);
}
