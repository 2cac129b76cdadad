// OpenAI: chat completions, Responses and embeddings (wire-formats.md §1). Usage is
// prompt-inclusive: cached and cache-write tokens are inside prompt/input tokens, reasoning inside
// completion/output tokens. Chat streams carry usage only when asked (`stream_options.include_usage`),
// so aegis asks for it and hides the extra usage-only chunk from clients that did not.
import { usageFromPromptInclusive, type Usage } from "../../core/usage.js";
import type { SseEvent } from "../sse.js";
import { positiveInt } from "../estimate.js";
import { count, objectAt, parseJson, stringAt } from "./fields.js";
import type { CallFacts, CallKind, ErrorKind, ProviderAdapter, RouteMatch, StreamUsageTracker } from "./types.js";

const METERED: Record<string, CallKind> = {
  "/chat/completions": "chat",
  "/responses": "responses",
  "/embeddings": "embeddings",
};

// POSTs that cannot spend tokens: token counting, cancelling, metadata updates, uploads, moderation.
const FREE_POSTS = [
  /^\/responses\/input_tokens$/,
  /^\/responses\/[^/]+\/cancel$/,
  /^\/chat\/completions\/[^/]+$/,
  /^\/files$/,
  /^\/uploads(\/.*)?$/,
  /^\/moderations$/,
  /^\/conversations(\/.*)?$/,
];

// Completion chunks and response events that carry final usage.
const RESPONSE_END_EVENTS = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** Strips the optional "/v1" so routes match whatever base URL the client used. */
function relative(path: string): string {
  return path.startsWith("/v1/") ? path.slice(3) : path;
}

/** Usage from OpenAI's prompt-inclusive counts, subsets clamped so that an odd report is still billed. */
export function openAiUsage(model: string, prompt: number, cached: number, writes: number, completion: number, reasoning: number): Usage {
  const c = Math.min(cached, prompt);
  const w = Math.min(writes, prompt - c);
  return usageFromPromptInclusive({
    model,
    promptTokens: prompt,
    cachedTokens: c,
    cacheWriteTokens: w,
    completionTokens: completion,
    reasoningTokens: Math.min(reasoning, completion),
  });
}

/** Chat completions and embeddings `usage` (embeddings have prompt tokens only). */
function chatUsage(u: Record<string, unknown>, model: string): Usage {
  const pd = objectAt(u.prompt_tokens_details);
  const cd = objectAt(u.completion_tokens_details);
  return openAiUsage(model, count(u.prompt_tokens), count(pd?.cached_tokens), count(pd?.cache_write_tokens), count(u.completion_tokens), count(cd?.reasoning_tokens));
}

/** Responses API `usage`. */
function responsesUsage(u: Record<string, unknown>, model: string): Usage {
  const id = objectAt(u.input_tokens_details);
  const od = objectAt(u.output_tokens_details);
  return openAiUsage(model, count(u.input_tokens), count(id?.cached_tokens), count(id?.cache_write_tokens), count(u.output_tokens), count(od?.reasoning_tokens));
}

function usageOf(kind: CallKind, body: unknown, requestModel: string): Usage | undefined {
  const obj = objectAt(body);
  const u = objectAt(obj?.usage);
  if (obj === undefined || u === undefined) return undefined;
  const model = stringAt(obj.model) ?? requestModel;
  return kind === "responses" ? responsesUsage(u, model) : chatUsage(u, model);
}

// The body with `stream_options.include_usage: true`. Spliced before the closing brace when the
// request has no stream_options (no re-serialisation of a possibly large prompt); merged otherwise.
function withIncludeUsage(body: Record<string, unknown>, raw: Uint8Array): Uint8Array {
  const options = objectAt(body.stream_options);
  if (options === undefined && body.stream_options === undefined) {
    let end = raw.length - 1;
    while (end > 0 && raw[end] !== 0x7d /* } */) end--;
    const head = Buffer.from(raw.buffer, raw.byteOffset, end);
    const empty = Object.keys(body).length === 0;
    return Buffer.concat([head, Buffer.from(`${empty ? "" : ","}"stream_options":{"include_usage":true}}`)]);
  }
  return Buffer.from(JSON.stringify({ ...body, stream_options: { ...options, include_usage: true } }));
}

function inspect(route: Extract<RouteMatch, { action: "meter" }>, body: Record<string, unknown>, raw: Uint8Array): CallFacts {
  const stream = body.stream === true;
  const facts: CallFacts = {
    model: stringAt(body.model),
    framing: stream && route.kind !== "embeddings" ? "sse" : "json",
    maxOutputTokens: undefined,
    choices: 1,
    fingerprintInput: null,
    billsOutput: route.kind !== "embeddings",
    // Prompt caching is automatic: any call may write (billed where the model prices writes).
    cacheWrites: route.kind === "embeddings" ? "none" : "5m",
  };
  if (route.kind === "chat") {
    facts.maxOutputTokens = positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens);
    facts.choices = positiveInt(body.n) ?? 1;
    facts.fingerprintInput = body.messages ?? null;
    if (stream && objectAt(body.stream_options)?.include_usage !== true) {
      facts.forwardBody = withIncludeUsage(body, raw);
      facts.hideUsageOnlyChunk = true;
    }
  } else if (route.kind === "responses") {
    facts.maxOutputTokens = positiveInt(body.max_output_tokens);
    if (body.background === true) {
      // A background response is billed after this request returns; its usage never passes here.
      facts.refusal = "aegis: background Responses (background: true) cannot be metered by the proxy, so they are not forwarded; run the call in the foreground (streaming works).";
    }
    facts.fingerprintInput = [body.instructions ?? null, body.input ?? null, body.previous_response_id ?? null];
  } else {
    facts.fingerprintInput = body.input ?? null;
  }
  return facts;
}

// A chat chunk that only carries usage: what include_usage adds before [DONE].
function isUsageOnlyChunk(obj: Record<string, unknown>): boolean {
  return Array.isArray(obj.choices) && obj.choices.length === 0 && objectAt(obj.usage) !== undefined;
}

function streamTracker(kind: CallKind, requestModel: string): StreamUsageTracker {
  let usage: Usage | undefined;
  let lastHidden: SseEvent | undefined;
  if (kind === "responses") {
    return {
      onEvent(e) {
        const named = e.event !== undefined ? RESPONSE_END_EVENTS.has(e.event) : e.data.includes('"response.');
        if (!named || !e.data.includes('"usage"')) return;
        const obj = objectAt(parseJson(e.data));
        const type = stringAt(obj?.type) ?? e.event;
        if (type === undefined || !RESPONSE_END_EVENTS.has(type)) return;
        usage = usageOf("responses", obj?.response, requestModel) ?? usage;
      },
      usage: () => usage,
    };
  }
  return {
    onEvent(e) {
      // Cheap pre-filter: with include_usage every chunk has `"usage":null`; only a real one has an object.
      if (e.data === "[DONE]" || !/"usage"\s*:\s*\{/.test(e.data)) return;
      const obj = objectAt(parseJson(e.data));
      if (obj === undefined) return;
      usage = usageOf(kind, obj, requestModel) ?? usage;
      if (isUsageOnlyChunk(obj)) lastHidden = e;
    },
    usage: () => usage,
    hide: (e) => e === lastHidden,
  };
}

function errorBody(_status: number, message: string, kind: ErrorKind): unknown {
  const [type, code] =
    kind === "budget"
      ? ["insufficient_quota", "aegis_budget_exceeded"]
      : kind === "refused"
        ? ["invalid_request_error", "aegis_unmetered_endpoint"]
        : kind === "invalid_request"
          ? ["invalid_request_error", "aegis_invalid_request"]
          : ["api_error", "aegis_unavailable"];
  return { error: { message, type, param: null, code } };
}

/** The OpenAI adapter. */
export const openaiAdapter: ProviderAdapter = {
  provider: "openai",
  match(method, path) {
    const rel = relative(path);
    if (method === "GET" || method === "HEAD" || method === "DELETE" || method === "OPTIONS") return { action: "pass" };
    const kind = method === "POST" ? METERED[rel] : undefined;
    if (kind !== undefined) return { action: "meter", kind };
    if (method === "POST" && FREE_POSTS.some((re) => re.test(rel))) return { action: "pass" };
    return {
      action: "refuse",
      message: `aegis: ${method} ${path} cannot be metered, so the proxy does not forward it (it could spend outside your budget). aegis meters POST /v1/chat/completions, /v1/responses and /v1/embeddings.`,
    };
  },
  inspect,
  usageFromBody: usageOf,
  streamTracker,
  errorBody,
  streamErrorFrame: (message, kind) => `event: error\ndata: ${JSON.stringify(errorBody(0, message, kind))}\n\n`,
};
