// A fake provider API on loopback for the proxy tests. It speaks each provider's real wire format
// (docs/wire-formats.md): OpenAI chat completions (JSON, SSE with usage only when
// stream_options.include_usage is set), Responses (JSON, SSE with named events), embeddings;
// Anthropic messages (JSON, SSE message_start … message_delta with cumulative usage); Gemini
// generateContent and streamGenerateContent (SSE with alt=sse, a streamed JSON array without).
// It counts hits, records requests, and can be told to fail, to pace its stream, to change
// the usage it reports, or to compress its answers whatever the request's accept-encoding.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Transform } from "node:stream";
import * as zlib from "node:zlib";
import type { AddressInfo } from "node:net";

/** Usage to report, in normalised buckets; each provider renders it in its own convention. */
export interface FakeUsage {
  /** Fresh input tokens (no cache). */
  input: number;
  cached?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
  /** All output tokens, reasoning included. */
  output: number;
  reasoning?: number;
  /** Anthropic server-side web searches (`server_tool_use.web_search_requests`, cumulative in streams). */
  webSearches?: number;
  /**
   * Anthropic advisor sub-inferences: reported as `usage.iterations` (the executor's turn, then one
   * `advisor_message` each), in the JSON usage and the final message_delta; not in the top-level counts.
   */
  advisor?: { model?: string; input: number; output: number }[];
}

/** Behaviour of the fake, changeable between calls. */
export interface FakeSettings {
  usage: FakeUsage;
  text: string;
  /** Stream the text in this many pieces. */
  chunks: number;
  /** Delay before each streamed piece, ms. */
  chunkDelayMs: number;
  /** Delay before answering at all, ms. */
  latencyMs: number;
  /** Answer every metered call with this error instead. */
  error?: { status: number; body: unknown };
  /** Model the response names (default: the request's). */
  responseModel?: string;
  /** Cut the connection after this many streamed pieces (no usage sent). */
  cutAfterChunks?: number;
  /** Compress every answer with this content-encoding; "corrupt-gzip" is labelled gzip but damaged. */
  compress?: "gzip" | "br" | "deflate" | "corrupt-gzip";
}

/** A recorded request. */
export interface FakeRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown> | undefined;
}

/** A running fake upstream. */
export interface FakeUpstream {
  /** http://127.0.0.1:<port> */
  url: string;
  settings: FakeSettings;
  requests: FakeRequest[];
  /** Metered calls answered (successfully or not). */
  hits: number;
  /** Streams whose final usage frame was written. */
  streamsCompleted: number;
  reset(settings?: Partial<FakeSettings>): void;
  close(): Promise<void>;
}

const DEFAULTS: FakeSettings = {
  usage: { input: 10, output: 5 },
  text: "Hello from the fake upstream.",
  chunks: 3,
  chunkDelayMs: 0,
  latencyMs: 0,
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pieces(text: string, n: number): string[] {
  const size = Math.ceil(text.length / Math.max(1, n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [""];
}

/** Starts a fake upstream on 127.0.0.1. */
export async function startFakeUpstream(initial: Partial<FakeSettings> = {}): Promise<FakeUpstream> {
  const fake: FakeUpstream = {
    url: "",
    settings: { ...DEFAULTS, ...initial },
    requests: [],
    hits: 0,
    streamsCompleted: 0,
    reset(settings = {}) {
      fake.settings = { ...DEFAULTS, ...settings };
      fake.requests = [];
      fake.hits = 0;
      fake.streamsCompleted = 0;
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> | undefined;
      try {
        body = text === "" ? undefined : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        body = undefined;
      }
      fake.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      void route(fake, req, res, body).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

async function route(fake: FakeUpstream, req: IncomingMessage, res: ServerResponse, body: Record<string, unknown> | undefined): Promise<void> {
  compression.set(res, fake.settings.compress);
  const url = new URL(req.url ?? "/", "http://x");
  const path = url.pathname;
  if (req.method === "GET" && path === "/v1/models") return json(res, 200, { object: "list", data: [{ id: "gpt-4o", object: "model" }] });
  const gemini = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
  const known = path === "/v1/chat/completions" || path === "/v1/responses" || path === "/v1/embeddings" || path === "/v1/messages" || gemini !== null;
  if (!known) return json(res, 404, { error: { message: `fake: no route ${path}` } });
  fake.hits++;
  const s = fake.settings;
  if (s.latencyMs > 0) await sleep(s.latencyMs);
  if (s.error !== undefined) return json(res, s.error.status, s.error.body);
  const model = s.responseModel ?? (gemini?.[1] ?? String(body?.model ?? "unknown"));
  if (path === "/v1/chat/completions") return body?.stream === true ? chatStream(fake, res, model, body) : json(res, 200, chatJson(s, model));
  if (path === "/v1/responses") return body?.stream === true ? responsesStream(fake, res, model) : json(res, 200, responseObject(s, model, "completed"));
  if (path === "/v1/embeddings") return json(res, 200, embeddings(s, model, body));
  if (path === "/v1/messages") return body?.stream === true ? anthropicStream(fake, res, model) : json(res, 200, anthropicJson(s, model));
  if (gemini?.[2] === "generateContent") return json(res, 200, geminiChunk(s, model, s.text, true));
  return geminiStream(fake, res, model, url.searchParams.get("alt") === "sse");
}

// The compression of each answer (set by route(), read by json() and stream()).
const compression = new WeakMap<ServerResponse, FakeSettings["compress"]>();

// Writes an answer's body as is or compressed, flushing each write so that streams stay streamed.
function bodyWriter(res: ServerResponse): { headers: Record<string, string>; write(text: string): void; end(text?: string): void } {
  const compress = compression.get(res);
  if (compress === undefined) return { headers: {}, write: (t) => res.write(t), end: (t) => (t === undefined ? res.end() : res.end(t)) };
  const z = compress === "br" ? zlib.createBrotliCompress() : compress === "deflate" ? zlib.createDeflate() : zlib.createGzip();
  let offset = 0;
  // Damages every byte after the gzip header, as a broken gateway might.
  const damage = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const out = Buffer.from(chunk);
      for (let i = 0; i < out.length; i++) if (offset + i >= 10) out[i] = (out[i] ?? 0) ^ 0xa5;
      offset += out.length;
      done(null, out);
    },
  });
  (compress === "corrupt-gzip" ? z.pipe(damage) : z).pipe(res);
  const write = (t: string): void => {
    z.write(t);
    z.flush();
  };
  return { headers: { "content-encoding": compress === "corrupt-gzip" ? "gzip" : compress }, write, end: (t) => (t === undefined ? z.end() : z.end(t)) };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const w = bodyWriter(res);
  const length = w.headers["content-encoding"] === undefined ? { "content-length": Buffer.byteLength(text) } : {};
  res.writeHead(status, { "content-type": "application/json", ...length, "x-request-id": "req_fake", ...w.headers });
  w.end(text);
}

// Streams `frames` with the configured pacing; stops early (connection cut) when told to.
async function stream(fake: FakeUpstream, res: ServerResponse, contentType: string, frames: string[], contentFrames: number): Promise<void> {
  const w = bodyWriter(res);
  res.writeHead(200, { "content-type": contentType, "cache-control": "no-cache", ...w.headers });
  const s = fake.settings;
  for (let i = 0; i < frames.length; i++) {
    if (s.chunkDelayMs > 0 && i > 0 && i <= contentFrames) await sleep(s.chunkDelayMs);
    if (s.cutAfterChunks !== undefined && i >= s.cutAfterChunks) {
      res.destroy();
      return;
    }
    if (res.destroyed) return;
    w.write(frames[i] ?? "");
  }
  fake.streamsCompleted++;
  w.end();
}

// ---- OpenAI ----

function openAiUsage(u: FakeUsage): Record<string, unknown> {
  const prompt = u.input + (u.cached ?? 0) + (u.cacheWrite ?? 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: u.output,
    total_tokens: prompt + u.output,
    prompt_tokens_details: { cached_tokens: u.cached ?? 0, audio_tokens: 0, ...(u.cacheWrite !== undefined ? { cache_write_tokens: u.cacheWrite } : {}) },
    completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function chatJson(s: FakeSettings, model: string): unknown {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: s.text, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: openAiUsage(s.usage),
    service_tier: "default",
  };
}

function chatStream(fake: FakeUpstream, res: ServerResponse, model: string, body: Record<string, unknown>): Promise<void> {
  const s = fake.settings;
  const withUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1_700_000_000, model, system_fingerprint: null };
  const extra = withUsage ? { usage: null } : {};
  const parts = pieces(s.text, s.chunks);
  const frames = parts.map((p, i) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: i === 0 ? { role: "assistant", content: p } : { content: p }, logprobs: null, finish_reason: null }], ...extra })}\n\n`);
  frames.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }], ...extra })}\n\n`);
  if (withUsage) frames.push(`data: ${JSON.stringify({ ...base, choices: [], usage: openAiUsage(s.usage) })}\n\n`);
  frames.push("data: [DONE]\n\n");
  return stream(fake, res, "text/event-stream; charset=utf-8", frames, parts.length);
}

function responseObject(s: FakeSettings, model: string, status: "in_progress" | "completed"): Record<string, unknown> {
  const u = s.usage;
  const input = u.input + (u.cached ?? 0) + (u.cacheWrite ?? 0);
  return {
    id: "resp_fake",
    object: "response",
    created_at: 1_700_000_000,
    status,
    model,
    output:
      status === "completed"
        ? [{ type: "message", id: "msg_fake", status: "completed", role: "assistant", content: [{ type: "output_text", text: s.text, annotations: [] }] }]
        : [],
    usage:
      status === "completed"
        ? {
            input_tokens: input,
            input_tokens_details: { cached_tokens: u.cached ?? 0, ...(u.cacheWrite !== undefined ? { cache_write_tokens: u.cacheWrite } : {}) },
            output_tokens: u.output,
            output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
            total_tokens: input + u.output,
          }
        : null,
  };
}

function responsesStream(fake: FakeUpstream, res: ServerResponse, model: string): Promise<void> {
  const s = fake.settings;
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
  const parts = pieces(s.text, s.chunks);
  const frames = [ev("response.created", { response: responseObject(s, model, "in_progress") })];
  for (const p of parts) frames.push(ev("response.output_text.delta", { item_id: "msg_fake", output_index: 0, content_index: 0, delta: p, logprobs: [] }));
  frames.push(ev("response.output_text.done", { item_id: "msg_fake", output_index: 0, content_index: 0, text: s.text, logprobs: [] }));
  frames.push(ev("response.completed", { response: responseObject(s, model, "completed") }));
  return stream(fake, res, "text/event-stream; charset=utf-8", frames, parts.length);
}

function embeddings(s: FakeSettings, model: string, body: Record<string, unknown> | undefined): unknown {
  const inputs = Array.isArray(body?.input) ? body.input : [body?.input];
  const vector = [0.25, -0.5, 0.125];
  const base64 = body?.encoding_format === "base64";
  return {
    object: "list",
    data: inputs.map((_, index) => ({ object: "embedding", index, embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector })),
    model,
    usage: { prompt_tokens: s.usage.input, total_tokens: s.usage.input },
  };
}

// ---- Anthropic ----

// The executor's turn and the advisor's turns, as `usage.iterations` (only when advisors are set).
function anthropicIterations(u: FakeUsage, output: number): Record<string, unknown> {
  if (u.advisor === undefined) return {};
  const executor = { type: "message", input_tokens: u.input, output_tokens: output, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  const advisors = u.advisor.map((a) => ({ type: "advisor_message", ...(a.model !== undefined ? { model: a.model } : {}), input_tokens: a.input, output_tokens: a.output, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }));
  return { iterations: [executor, ...advisors] };
}

function anthropicUsage(u: FakeUsage, output: number, searches = u.webSearches): Record<string, unknown> {
  const w5 = u.cacheWrite ?? 0;
  const w1 = u.cacheWrite1h ?? 0;
  return {
    ...(searches !== undefined ? { server_tool_use: { web_search_requests: searches, web_fetch_requests: 0 } } : {}),
    input_tokens: u.input,
    cache_creation_input_tokens: w5 + w1,
    cache_read_input_tokens: u.cached ?? 0,
    cache_creation: { ephemeral_5m_input_tokens: w5, ephemeral_1h_input_tokens: w1 },
    output_tokens: output,
    service_tier: "standard",
  };
}

function anthropicJson(s: FakeSettings, model: string): unknown {
  return {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text: s.text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { ...anthropicUsage(s.usage, s.usage.output), ...anthropicIterations(s.usage, s.usage.output) },
  };
}

function anthropicStream(fake: FakeUpstream, res: ServerResponse, model: string): Promise<void> {
  const s = fake.settings;
  const ev = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const parts = pieces(s.text, s.chunks);
  const frames = [
    ev("message_start", { message: { id: "msg_fake", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: anthropicUsage(s.usage, 1, s.usage.webSearches === undefined ? undefined : 0) } }),
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    ev("ping", {}),
  ];
  for (const p of parts) frames.push(ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: p } }));
  frames.push(ev("content_block_stop", { index: 0 }));
  // Cumulative: a consumer that adds deltas instead of overwriting would over-count.
  frames.push(ev("message_delta", { delta: { stop_reason: null, stop_sequence: null }, usage: { output_tokens: Math.max(1, Math.floor(s.usage.output / 2)) } }));
  frames.push(ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: s.usage.output, input_tokens: null, cache_read_input_tokens: null, ...(s.usage.webSearches !== undefined ? { server_tool_use: { web_search_requests: s.usage.webSearches, web_fetch_requests: null } } : {}), ...anthropicIterations(s.usage, s.usage.output) } }));
  frames.push(ev("message_stop", {}));
  return stream(fake, res, "text/event-stream; charset=utf-8", frames, parts.length + 2);
}

// ---- Gemini ----

function geminiChunk(s: FakeSettings, model: string, text: string, last: boolean, candidates = s.usage.output - (s.usage.reasoning ?? 0)): Record<string, unknown> {
  const u = s.usage;
  const prompt = u.input + (u.cached ?? 0);
  return {
    candidates: [{ content: { parts: [{ text }], role: "model" }, index: 0, ...(last ? { finishReason: "STOP" } : {}) }],
    usageMetadata: {
      promptTokenCount: prompt,
      candidatesTokenCount: candidates,
      totalTokenCount: prompt + candidates + (u.reasoning ?? 0),
      ...(u.cached !== undefined ? { cachedContentTokenCount: u.cached } : {}),
      ...(u.reasoning !== undefined ? { thoughtsTokenCount: u.reasoning } : {}),
      promptTokensDetails: [{ modality: "TEXT", tokenCount: prompt }],
    },
    modelVersion: model,
    responseId: "resp_fake",
  };
}

function geminiStream(fake: FakeUpstream, res: ServerResponse, model: string, sse: boolean): Promise<void> {
  const s = fake.settings;
  const parts = pieces(s.text, s.chunks);
  // Each chunk repeats usageMetadata with the candidates counted so far; the last one is final.
  const chunks = parts.map((p, i) => geminiChunk(s, model, p, i === parts.length - 1, i === parts.length - 1 ? undefined : i + 1));
  const frames = sse
    ? chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`)
    : chunks.map((c, i) => `${i === 0 ? "[" : "\r\n,"}${JSON.stringify(c)}`).concat(["\r\n]"]);
  return stream(fake, res, sse ? "text/event-stream" : "application/json; charset=UTF-8", frames, parts.length);
}
