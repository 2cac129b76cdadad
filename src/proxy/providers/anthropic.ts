// Anthropic Messages (wire-formats.md §2). `input_tokens` excludes cache reads and writes; writes
// split into 5-minute and 1-hour TTLs. Streams report usage in `message_start` and then cumulative
// `message_delta` usage: each delta overwrites, never adds. Compaction runs add
// `usage.iterations[]`, whose sum is what was billed (the core converter sums them); advisor
// iterations bill at the advisor model's rates, as sub-inferences. Web searches
// (`usage.server_tool_use.web_search_requests`) are cumulative in the same way and bill per request.
import { UsageShapeError, type Usage } from "../../core/usage.js";
import { callUsageFromAnthropic, type AnthropicUsageWire } from "../../core/usage-converters.js";
import { positiveInt } from "../estimate.js";
import { objectAt, parseJson, stringAt } from "./fields.js";
import { advisorBounds, webSearchBound } from "./anthropic-tools.js";
import type { CallKind, ErrorKind, ProviderAdapter, StreamUsageTracker } from "./types.js";

// POSTs that cannot spend: token counting and file uploads.
const FREE_POSTS = [/^\/messages\/count_tokens$/, /^\/files$/];

/** Strips the optional "/v1" (the official SDKs send it, @ai-sdk/anthropic does not). */
function relative(path: string): string {
  return path.startsWith("/v1/") ? path.slice(3) : path;
}

// The wire usage normalised by the core converter; a malformed one reads as no usage (the call is
// then billed at its estimate rather than at a guess). Advisor iterations, which the top-level
// counts leave out, ride along as sub-inferences billed at the advisor model's rates.
function convert(model: string, wire: Record<string, unknown>): Usage | undefined {
  try {
    return callUsageFromAnthropic(model, wire as AnthropicUsageWire);
  } catch (error) {
    if (error instanceof UsageShapeError) return undefined;
    throw error;
  }
}

function usageOf(_kind: CallKind, body: unknown, requestModel: string): Usage | undefined {
  const obj = objectAt(body);
  const u = objectAt(obj?.usage);
  if (obj === undefined || u === undefined) return undefined;
  return convert(stringAt(obj.model) ?? requestModel, u);
}

function streamTracker(_kind: CallKind, requestModel: string): StreamUsageTracker {
  let model = requestModel;
  let wire: Record<string, unknown> | undefined;
  return {
    onEvent(e) {
      const type = e.event ?? "";
      if (type !== "message_start" && type !== "message_delta" && !(type === "" && e.data.includes('"message_'))) return;
      const obj = objectAt(parseJson(e.data));
      if (obj === undefined) return;
      if (obj.type === "message_start") {
        const message = objectAt(obj.message);
        model = stringAt(message?.model) ?? model;
        const u = objectAt(message?.usage);
        if (u !== undefined) wire = { ...u };
      } else if (obj.type === "message_delta") {
        const u = objectAt(obj.usage);
        if (u === undefined) return;
        // Cumulative counters: each non-null field replaces the last value (never added to it),
        // inside nested counters too (server_tool_use.web_search_requests, cache_creation.*).
        wire ??= {};
        for (const key in u) {
          const value = u[key];
          if (value == null) continue;
          const nested = objectAt(value);
          const previous = objectAt(wire[key]);
          if (nested !== undefined && previous !== undefined && !Array.isArray(value)) {
            const merged: Record<string, unknown> = { ...previous };
            for (const inner in nested) if (nested[inner] != null) merged[inner] = nested[inner];
            wire[key] = merged;
          } else wire[key] = value;
        }
      }
    },
    usage: () => (wire === undefined ? undefined : convert(model, wire)),
  };
}

function errorBody(_status: number, message: string, kind: ErrorKind): unknown {
  const type =
    kind === "budget" ? "billing_error" : kind === "refused" ? "permission_error" : kind === "invalid_request" ? "invalid_request_error" : "api_error";
  return { type: "error", error: { type, message }, request_id: null };
}

/** The Anthropic adapter. */
export const anthropicAdapter: ProviderAdapter = {
  provider: "anthropic",
  match(method, path) {
    const rel = relative(path);
    if (method === "GET" || method === "HEAD" || method === "DELETE" || method === "OPTIONS") return { action: "pass" };
    if (method === "POST" && rel === "/messages") return { action: "meter", kind: "messages" };
    if (method === "POST" && FREE_POSTS.some((re) => re.test(rel))) return { action: "pass" };
    return {
      action: "refuse",
      message: `aegis: ${method} ${path} cannot be metered, so the proxy does not forward it (it could spend outside your budget). aegis meters POST /v1/messages.`,
    };
  },
  inspect(_route, body, raw) {
    // Writes happen only where the request marks cache_control; 1-hour ones only with ttl "1h".
    const marks = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const cacheWrites = !marks.includes("cache_control") ? "none" : /"ttl"\s*:\s*"1h"/.test(marks.toString("latin1")) ? "1h" : "5m";
    return {
      model: stringAt(body.model),
      framing: body.stream === true ? "sse" : "json",
      maxOutputTokens: positiveInt(body.max_tokens),
      choices: 1,
      fingerprintInput: [body.system ?? null, body.messages ?? null],
      billsOutput: true,
      cacheWrites,
      // Web searches bill per request on top of the tokens, advisor runs at the advisor model's
      // rates: the worst case counts both.
      webSearches: webSearchBound(body.tools),
      subInferences: advisorBounds(body.tools),
    };
  },
  usageFromBody: usageOf,
  streamTracker,
  errorBody,
  streamErrorFrame: (message, kind) => `event: error\ndata: ${JSON.stringify(errorBody(0, message, kind))}\n\n`,
};
