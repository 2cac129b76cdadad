// What the proxy needs to know about one provider's wire format: which routes can spend and how to
// meter them, what a request asks for (model, streaming, output limit), where usage sits in its
// responses and streams, and how it spells an error. Adapters are pure: no I/O, no clock.
import type { Usage } from "../../core/usage.js";
import type { SseEvent } from "../sse.js";

/** Providers with an adapter (the proxy route names). */
export type ProviderName = "openai" | "anthropic" | "gemini";

/** The metered endpoints. */
export type CallKind = "chat" | "responses" | "embeddings" | "messages" | "generate";

/** How a response body is framed: one JSON document, SSE events, or a streamed JSON array (Gemini without alt=sse). */
export type Framing = "json" | "sse" | "json-array";

/** What to do with a request, decided from its method and path alone. */
export type RouteMatch =
  | { action: "meter"; kind: CallKind; /** Model named in the path (Gemini). */ pathModel?: string; /** Streaming decided by the path (Gemini). */ pathFraming?: Framing }
  /** Cannot spend (reads such as GET /v1/models, or free token counting): forwarded unmetered. */
  | { action: "pass" }
  /** Could spend but cannot be metered: answered with a provider-shaped 403 naming the path. */
  | { action: "refuse"; message: string };

/** What the proxy learns from a metered request body before forwarding it. */
export interface CallFacts {
  /** The model the request names (path or body), if any. */
  model: string | undefined;
  /** How the response will be framed. */
  framing: Framing;
  /** The request's own output limit, if it sets one. */
  maxOutputTokens: number | undefined;
  /** Number of choices/candidates the output limit applies to (OpenAI `n`, Gemini `candidateCount`). */
  choices: number;
  /** The prompt content whose fingerprint identifies a repeated call (model is added by the caller). */
  fingerprintInput: unknown;
  /** Calls that bill output at all (embeddings do not). */
  billsOutput: boolean;
  /**
   * The dearest cache write the call can cause: "none", "5m" (OpenAI caches automatically;
   * Anthropic with `cache_control`) or "1h" (Anthropic `cache_control` with `ttl: "1h"`).
   */
  cacheWrites: "none" | "5m" | "1h";
  /**
   * The most server-side web searches the call can bill (Anthropic web search tool: its
   * `max_uses`, else a documented default); absent or 0 when it cannot search.
   */
  webSearches?: number;
  /**
   * Inferences the provider may run inside the call on other models (Anthropic advisor tools),
   * billed at those models' rates; absent or empty when there are none.
   */
  subInferences?: SubInferenceBound[];
  /**
   * A replacement request body when aegis must change what is forwarded (OpenAI streams: ask for
   * usage). When set, `hideUsageOnlyChunk` says the client did not ask for the usage chunk.
   */
  forwardBody?: Uint8Array;
  hideUsageOnlyChunk?: boolean;
  /** Set when this request could spend in a way the proxy cannot meter (answered 403 with this message). */
  refusal?: string;
}

/** A sub-inference a request allows (an advisor tool): on which model, how often, how much output. */
export interface SubInferenceBound {
  /** The model it runs on ("" when the request names none: unpriceable). */
  model: string;
  /** How many times it may run in the call. */
  uses: number;
  /** Its output cap per run, when the request sets one. */
  maxOutputTokens: number | undefined;
  /** The dearest cache write its own prompt can cause. */
  cacheWrites: "none" | "5m" | "1h";
}

/** Reads usage from a streamed response, event by event. */
export interface StreamUsageTracker {
  /** Feeds one event (an SSE event, or one element of a streamed JSON array as `data`). */
  onEvent(e: SseEvent): void;
  /** The usage read so far, or undefined when the stream has carried none yet. */
  usage(): Usage | undefined;
  /** Whether this event must be withheld from the client (the usage-only chunk aegis asked for). */
  hide?(e: SseEvent): boolean;
}

/** One provider's wire format. */
export interface ProviderAdapter {
  readonly provider: ProviderName;
  /** Classifies a request by method and path (the path after the proxy's provider prefix, query apart). */
  match(method: string, path: string, query: URLSearchParams): RouteMatch;
  /** Reads what metering needs from the parsed request body; `raw` is its bytes. */
  inspect(route: Extract<RouteMatch, { action: "meter" }>, body: Record<string, unknown>, raw: Uint8Array): CallFacts;
  /** Usage from a complete JSON response body, or undefined when it carries none. */
  usageFromBody(kind: CallKind, body: unknown, requestModel: string): Usage | undefined;
  /** A fresh tracker for one streamed response. */
  streamTracker(kind: CallKind, requestModel: string): StreamUsageTracker;
  /** An error body in the provider's own shape (for blocks, refusals and aegis's own failures). */
  errorBody(status: number, message: string, kind: ErrorKind): unknown;
  /** The frame that ends a stream with an error the provider's SDK raises (e.g. the upstream failed mid-stream). */
  streamErrorFrame(message: string, kind: ErrorKind, framing: Framing): string;
}

/** Why aegis answers instead of the upstream. */
export type ErrorKind = "budget" | "invalid_request" | "refused" | "unavailable";
