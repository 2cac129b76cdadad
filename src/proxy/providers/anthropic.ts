// Anthropic Messages (wire-formats.md §2). `input_tokens` excludes cache reads and writes; writes
// split into 5-minute and 1-hour TTLs. Streams report usage in `message_start` and then cumulative
// `message_delta` usage: each delta overwrites, never adds. Compaction/advisor runs add
// `usage.iterations[]`, whose sum is what was billed.
import type { Usage } from "../../core/usage.js";
import { usageFromAnthropic, type AnthropicCounts } from "./anthropic-usage.js";
import { positiveInt } from "../estimate.js";
import { count, objectAt, parseJson, stringAt } from "./fields.js";
import type { CallKind, ErrorKind, ProviderAdapter, StreamUsageTracker } from "./types.js";

// POSTs that cannot spend: token counting and file uploads.
const FREE_POSTS = [/^\/messages\/count_tokens$/, /^\/files$/];

/** Strips the optional "/v1" (the official SDKs send it, @ai-sdk/anthropic does not). */
function relative(path: string): string {
  return path.startsWith("/v1/") ? path.slice(3) : path;
}

// Reads one usage object's counters; `null` fields of a stream delta are left absent (not zero).
function readCounts(u: Record<string, unknown>): Partial<AnthropicCounts> {
  const out: Partial<AnthropicCounts> = {};
  if (u.input_tokens != null) out.inputTokens = count(u.input_tokens);
  if (u.output_tokens != null) out.outputTokens = count(u.output_tokens);
  if (u.cache_read_input_tokens != null) out.cacheReadTokens = count(u.cache_read_input_tokens);
  if (u.cache_creation_input_tokens != null) out.cacheCreationTokens = count(u.cache_creation_input_tokens);
  const split = objectAt(u.cache_creation);
  if (split !== undefined) {
    out.cacheWrite5mTokens = count(split.ephemeral_5m_input_tokens);
    out.cacheWrite1hTokens = count(split.ephemeral_1h_input_tokens);
  }
  const details = objectAt(u.output_tokens_details);
  if (details?.thinking_tokens != null) out.thinkingTokens = count(details.thinking_tokens);
  return out;
}

// Counters of a usage object: the sum over `iterations` when present (the top level leaves
// compaction and advisor runs out), else the top level itself.
function countsOf(u: Record<string, unknown>): Partial<AnthropicCounts> {
  const iterations = Array.isArray(u.iterations) ? u.iterations.map(objectAt).filter((x) => x !== undefined) : [];
  if (iterations.length === 0) return readCounts(u);
  const sum: Partial<AnthropicCounts> = {};
  for (const it of iterations) {
    for (const [k, v] of Object.entries(readCounts(it)) as [keyof AnthropicCounts, number][]) sum[k] = (sum[k] ?? 0) + v;
  }
  return sum;
}

function usageOf(_kind: CallKind, body: unknown, requestModel: string): Usage | undefined {
  const obj = objectAt(body);
  const u = objectAt(obj?.usage);
  if (obj === undefined || u === undefined) return undefined;
  return usageFromAnthropic(stringAt(obj.model) ?? requestModel, countsOf(u));
}

function streamTracker(_kind: CallKind, requestModel: string): StreamUsageTracker {
  let model = requestModel;
  let counts: Partial<AnthropicCounts> | undefined;
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
        if (u !== undefined) counts = countsOf(u);
      } else if (obj.type === "message_delta") {
        const u = objectAt(obj.usage);
        // Cumulative: non-null fields replace what message_start said.
        if (u !== undefined) counts = { ...counts, ...countsOf(u) };
      }
    },
    usage: () => (counts === undefined ? undefined : usageFromAnthropic(model, counts)),
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
  inspect(_route, body) {
    return {
      model: stringAt(body.model),
      framing: body.stream === true ? "sse" : "json",
      maxOutputTokens: positiveInt(body.max_tokens),
      choices: 1,
      fingerprintInput: [body.system ?? null, body.messages ?? null],
      billsOutput: true,
    };
  },
  usageFromBody: usageOf,
  streamTracker,
  errorBody,
  streamErrorFrame: (message, kind) => `event: error\ndata: ${JSON.stringify(errorBody(0, message, kind))}\n\n`,
};
