// The client for agents written in JavaScript/TypeScript (`import { meter } from "aegis-governor/client"`).
// It talks to the metering API of the `aegis run` the process runs under (AEGIS_URL, AEGIS_TOKEN)
// with the global fetch; no dependencies, so it is cheap to import in any agent.
//
//   import { meter, AegisBlockedError } from "aegis-governor/client";
//   const decision = await meter.record({ model: "gpt-4o", input_tokens: 1200, output_tokens: 300 });

import type { DecisionJson } from "../server/decision-json.js";

/** One call's usage, as the metering API takes it (prompt-inclusive counts). */
export interface MeterUsage {
  model: string;
  input_tokens: number;
  output_tokens: number;
  /** Prompt tokens served from the cache (part of input_tokens). */
  cached_tokens?: number;
  /** Prompt tokens written to the cache at the 5-minute TTL, or the provider's only kind of write (part of input_tokens). */
  cache_write_tokens?: number;
  /** Prompt tokens written to Anthropic's 1-hour cache, billed 2× input (part of input_tokens, apart from cache_write_tokens). */
  cache_write_1h_tokens?: number;
  /** Reasoning tokens (part of output_tokens). */
  reasoning_tokens?: number;
  /** Server-side web searches the provider ran (Anthropic `server_tool_use.web_search_requests`), billed per search. */
  web_search_requests?: number;
  /**
   * Inferences the provider ran inside the call on other models (Anthropic advisor iterations,
   * `usage.iterations[]` of type `advisor_message`), each billed at its own model's rates; not part
   * of the counts above. At most 100.
   */
  sub_inferences?: MeterSubInference[];
  /** Agent of the delegation tree the call is charged to. */
  agent_id?: string;
  action_type?: string;
  /** A fingerprint of the request content, for loop detection (same prompt → same fingerprint). */
  fingerprint?: string;
}

/** One sub-inference of a call: the same prompt-inclusive counts as MeterUsage, on its own model. */
export interface MeterSubInference {
  /** The model it ran on ("" when the provider did not name it: the call is then refused as an unknown model). */
  model: string;
  input_tokens: number;
  output_tokens: number;
  /** Prompt tokens served from the cache (part of input_tokens). */
  cached_tokens?: number;
  /** 5-minute (or only) cache writes (part of input_tokens). */
  cache_write_tokens?: number;
  /** 1-hour cache writes (part of input_tokens, apart from cache_write_tokens). */
  cache_write_1h_tokens?: number;
  /** Reasoning tokens (part of output_tokens). */
  reasoning_tokens?: number;
}

/** The verdict on a call (DESIGN §4): the metering API's decision body. */
export type MeterDecision = DecisionJson;

/** Thrown by check/record when aegis blocks the call. */
export class AegisBlockedError extends Error {
  readonly action = "block" as const;
  readonly reason: string;
  readonly dimension: string;
  readonly costUsd: number;
  readonly cumulativeUsd: number;
  readonly fatal: boolean;
  readonly decision: MeterDecision;
  constructor(decision: MeterDecision) {
    super(`aegis blocked the call (${decision.dimension}): ${decision.reason}`);
    this.name = "AegisBlockedError";
    this.decision = decision;
    this.reason = decision.reason;
    this.dimension = decision.dimension;
    this.costUsd = decision.cost_usd;
    this.cumulativeUsd = decision.cumulative_usd;
    this.fatal = decision.fatal;
  }
}

/** Thrown when AEGIS_URL / AEGIS_TOKEN are absent. */
export class NotUnderAegisError extends Error {
  constructor(missing: string[]) {
    super(`this process is not running under \`aegis run\` (${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set): start it with \`aegis run -- <command>\``);
    this.name = "NotUnderAegisError";
  }
}

/** The metering API refused a request (bad usage, wrong token) or could not be reached. */
export class AegisRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "AegisRequestError";
  }
}

/** A metering client. */
export interface Meter {
  /** Pre-flight: would this call be allowed now? Records nothing. Throws AegisBlockedError on block. */
  check(usage: MeterUsage): Promise<MeterDecision>;
  /** Records a call's real usage. Throws AegisBlockedError on block (the call is then not recorded). */
  record(usage: MeterUsage): Promise<MeterDecision>;
  /** The session report (DESIGN §7 JSON). */
  report(): Promise<Record<string, unknown>>;
}

/** Options of createMeter; the defaults read AEGIS_URL and AEGIS_TOKEN. */
export interface MeterOptions {
  url?: string;
  token?: string;
}

/** Creates a client; throws NotUnderAegisError when the URL or token is missing. */
export function createMeter(options: MeterOptions = {}): Meter {
  const env = typeof process === "undefined" ? {} : process.env;
  const url = options.url ?? env.AEGIS_URL;
  const token = options.token ?? env.AEGIS_TOKEN;
  const missing = [url === undefined || url === "" ? "AEGIS_URL" : "", token === undefined || token === "" ? "AEGIS_TOKEN" : ""].filter(Boolean);
  if (missing.length > 0) throw new NotUnderAegisError(missing);
  const base = String(url).replace(/\/+$/, "");

  const send = async (method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${String(token)}`, "content-type": "application/json", "x-aegis-source": "client" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new AegisRequestError(`cannot reach aegis at ${base}: ${error instanceof Error ? error.message : String(error)}`, undefined);
    }
    const json: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const message = (json as { error?: { message?: string } } | undefined)?.error?.message ?? res.statusText;
      throw new AegisRequestError(`aegis answered ${res.status}: ${message}`, res.status);
    }
    return json;
  };

  const decide = async (path: string, usage: MeterUsage): Promise<MeterDecision> => {
    const decision = (await send("POST", path, usage)) as MeterDecision;
    if (decision.action === "block") throw new AegisBlockedError(decision);
    return decision;
  };

  return {
    check: (usage) => decide("/v1/check", usage),
    record: (usage) => decide("/v1/record", usage),
    report: async () => (await send("GET", "/v1/report")) as Record<string, unknown>,
  };
}

let shared: Meter | undefined;

/** The process-wide client, created on first use from AEGIS_URL / AEGIS_TOKEN. */
export const meter: Meter = {
  check: (usage) => (shared ??= createMeter()).check(usage),
  record: (usage) => (shared ??= createMeter()).record(usage),
  report: () => (shared ??= createMeter()).report(),
};
