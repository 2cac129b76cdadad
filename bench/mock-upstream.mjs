#!/usr/bin/env node
// Mock LLM upstream for the benchmarks (docs/performance.md §2): OpenAI chat completions (JSON, and
// SSE ending with a usage chunk when stream_options.include_usage is set), Anthropic Messages
// (JSON, SSE message_start … message_delta usage) and Gemini generateContent /
// streamGenerateContent (SSE with alt=sse, else a streamed JSON array). Fixed token counts, so
// metering can be checked. Zero dependencies; run it as its own process:
//   node bench/mock-upstream.mjs [--port 0] [--latency-ms 0] [--ttft-ms 0] [--chunks 64] [--gap-ms 20] [--size 1024]
// It prints {"port":N} on stdout once listening. Knobs can be changed at run time with
// POST /_mock/config {latencyMs, ttftMs, chunks, gapMs, size, errorEvery}; GET /_mock/stats counts hits;
// POST /null answers {} (the floor of a local HTTP round trip).
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

/** Fixed usage of every mocked call. */
export const MOCK_USAGE = { input: 42, output: 64 };

const DEFAULTS = { latencyMs: 0, ttftMs: 0, chunks: 64, gapMs: 20, size: 1024, errorEvery: 0 };

// Timers only when asked for: setTimeout(0) would add ~1 ms to every zero-latency answer.
function after(ms, fn) {
  if (ms > 0) setTimeout(fn, ms);
  else fn();
}

function readBody(req, done) {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => done(chunks.length === 1 ? chunks[0].toString("latin1") : Buffer.concat(chunks).toString("latin1")));
}

// Flags read with a regular expression, not JSON.parse: a 1 MB prompt must cost the mock the same
// few microseconds in every arm of a comparison.
const flag = (body, re) => re.test(body);
const modelOf = (body) => /"model"\s*:\s*"([^"]{1,100})"/.exec(body)?.[1] ?? "gpt-4o-mini";

function filler(size) {
  return "x".repeat(Math.max(0, size));
}

function openaiJson(model, size) {
  const base = {
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1767225600,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: "" }, finish_reason: "stop" }],
    usage: { prompt_tokens: MOCK_USAGE.input, completion_tokens: MOCK_USAGE.output, total_tokens: MOCK_USAGE.input + MOCK_USAGE.output },
  };
  base.choices[0].message.content = filler(size - JSON.stringify(base).length);
  return JSON.stringify(base);
}

const openaiChunk = (model, delta, finish = null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1767225600, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

function anthropicJson(model, size) {
  const base = {
    id: "msg_bench",
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text: "" }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: MOCK_USAGE.input, output_tokens: MOCK_USAGE.output },
  };
  base.content[0].text = filler(size - JSON.stringify(base).length);
  return JSON.stringify(base);
}

const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function geminiJson(size) {
  const base = {
    candidates: [{ content: { role: "model", parts: [{ text: "" }] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: MOCK_USAGE.input, candidatesTokenCount: MOCK_USAGE.output, totalTokenCount: MOCK_USAGE.input + MOCK_USAGE.output },
    modelVersion: "gemini-2.5-flash",
  };
  base.candidates[0].content.parts[0].text = filler(size - JSON.stringify(base).length);
  return JSON.stringify(base);
}

const geminiChunk = (text, last) =>
  JSON.stringify({
    candidates: [{ content: { role: "model", parts: [{ text }] }, index: 0, ...(last ? { finishReason: "STOP" } : {}) }],
    ...(last ? { usageMetadata: { promptTokenCount: MOCK_USAGE.input, candidatesTokenCount: MOCK_USAGE.output, totalTokenCount: MOCK_USAGE.input + MOCK_USAGE.output } } : {}),
  });

/** Writes `frames` (the last one possibly carrying usage) after ttftMs, gapMs apart. */
function stream(res, k, frames, contentType) {
  res.writeHead(200, { "content-type": contentType, "cache-control": "no-cache" });
  res.flushHeaders();
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    res.write(frames[i++]);
    if (i === frames.length) res.end();
    else after(k.gapMs, next);
  };
  after(k.ttftMs, next);
}

// Content frames carry the marker "dlt<n> " so the load generator can count them and time the first.
const delta = (i) => `dlt${i} `;

function openai(res, k, body) {
  const model = modelOf(body);
  if (!flag(body, /"stream"\s*:\s*true/)) return after(k.latencyMs, () => json(res, openaiJson(model, k.size)));
  const frames = [];
  for (let i = 0; i < k.chunks; i++) frames.push(openaiChunk(model, i === 0 ? { role: "assistant", content: delta(i) } : { content: delta(i) }));
  frames[frames.length - 1] += openaiChunk(model, {}, "stop");
  if (flag(body, /"include_usage"\s*:\s*true/)) {
    frames[frames.length - 1] += `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1767225600, model, choices: [], usage: { prompt_tokens: MOCK_USAGE.input, completion_tokens: MOCK_USAGE.output, total_tokens: MOCK_USAGE.input + MOCK_USAGE.output } })}\n\n`;
  }
  frames[frames.length - 1] += "data: [DONE]\n\n";
  stream(res, k, frames, "text/event-stream");
}

function anthropic(res, k, body) {
  const model = modelOf(body);
  if (!flag(body, /"stream"\s*:\s*true/)) return after(k.latencyMs, () => json(res, anthropicJson(model, k.size)));
  const frames = [];
  for (let i = 0; i < k.chunks; i++) frames.push(sse("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: delta(i) } }));
  frames[0] =
    sse("message_start", { type: "message_start", message: { id: "msg_bench", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: MOCK_USAGE.input, output_tokens: 1 } } }) +
    sse("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }) +
    frames[0];
  frames[frames.length - 1] +=
    sse("content_block_stop", { type: "content_block_stop", index: 0 }) +
    sse("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: MOCK_USAGE.output } }) +
    sse("message_stop", { type: "message_stop" });
  stream(res, k, frames, "text/event-stream");
}

function gemini(res, k, path, search) {
  if (path.endsWith(":generateContent")) return after(k.latencyMs, () => json(res, geminiJson(k.size)));
  const asSse = /(^|[?&])alt=sse(&|$)/.test(search);
  const frames = [];
  for (let i = 0; i < k.chunks; i++) {
    const chunk = geminiChunk(delta(i), i === k.chunks - 1);
    frames.push(asSse ? `data: ${chunk}\r\n\r\n` : `${i === 0 ? "[" : ",\r\n"}${chunk}`);
  }
  if (!asSse) frames[frames.length - 1] += "]";
  stream(res, k, frames, asSse ? "text/event-stream" : "application/json");
}

function json(res, text, status = 200) {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Starts the mock on 127.0.0.1:`port`; resolves to { server, port, knobs, stats }. */
export function startMock(options = {}) {
  const knobs = { ...DEFAULTS, ...options };
  const stats = { requests: 0, byRoute: {}, errorsInjected: 0 };
  const server = createServer({ noDelay: true }, (req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? "" : url.slice(q + 1);
    readBody(req, (body) => {
      if (path === "/null") return json(res, "{}");
      if (path === "/_mock/config") {
        if (body !== "") Object.assign(knobs, JSON.parse(body));
        return json(res, JSON.stringify(knobs));
      }
      if (path === "/_mock/stats") return json(res, JSON.stringify(stats));
      stats.requests++;
      const route = path.includes("/chat/completions") ? "openai" : path.endsWith("/messages") ? "anthropic" : path.includes("/models/") ? "gemini" : "other";
      stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
      if (knobs.errorEvery > 0 && stats.requests % knobs.errorEvery === 0) {
        stats.errorsInjected++;
        res.setHeader("retry-after", "1");
        return json(res, JSON.stringify({ error: { message: "mock: rate limited", type: "rate_limit_error" } }), 429);
      }
      if (route === "openai") return openai(res, knobs, body);
      if (route === "anthropic") return anthropic(res, knobs, body);
      if (route === "gemini") return gemini(res, knobs, path, search);
      json(res, JSON.stringify({ error: { message: `mock: no route ${path}` } }), 404);
    });
  });
  // Idle keep-alive connections must survive the pauses between benchmark phases.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  return new Promise((resolve) => server.listen(options.port ?? 0, "127.0.0.1", () => resolve({ server, port: server.address().port, knobs, stats })));
}

function parseArgs(argv) {
  const map = { "--port": "port", "--latency-ms": "latencyMs", "--ttft-ms": "ttftMs", "--chunks": "chunks", "--gap-ms": "gapMs", "--size": "size", "--error-every": "errorEvery" };
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = map[argv[i]];
    const value = Number(argv[i + 1]);
    if (key === undefined || !Number.isFinite(value)) throw new Error(`mock-upstream: unknown flag or bad value ${argv[i]} ${argv[i + 1]}`);
    out[key] = value;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { port } = await startMock(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify({ port, pid: process.pid })}\n`);
  process.on("SIGTERM", () => process.exit(0));
}
