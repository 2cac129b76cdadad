// A fake LLM upstream on loopback for the integration tests: OpenAI chat completions (plain and
// streamed, usage chunk only with include_usage) and Responses, Anthropic messages (plain and SSE),
// Gemini generateContent and streamGenerateContent (SSE). Each answers fixed token counts, chosen by
// a marker in the prompt ("#cached", "#reasoning", else plain), and counts its hits, so a test can
// assert exact usage and that a blocked call never arrived.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The scenario a request asks for through a marker in its prompt. */
export type Scenario = "plain" | "cached" | "reasoning";

/** Fixed counts per provider and scenario, in each provider's own convention. */
export const COUNTS = {
  openai: {
    plain: { prompt: 1200, cached: 0, cacheWrite: 0, completion: 300, reasoning: 0 },
    cached: { prompt: 2000, cached: 1500, cacheWrite: 200, completion: 100, reasoning: 0 },
    reasoning: { prompt: 500, cached: 0, cacheWrite: 0, completion: 900, reasoning: 700 },
  },
  // input excludes the cache (Anthropic's convention).
  anthropic: {
    plain: { input: 1000, cacheRead: 0, write5m: 0, write1h: 0, output: 250, thinking: 0 },
    cached: { input: 100, cacheRead: 3000, write5m: 800, write1h: 400, output: 150, thinking: 0 },
    reasoning: { input: 400, cacheRead: 0, write5m: 0, write1h: 0, output: 1000, thinking: 600 },
  },
  // promptTokenCount includes cached content; thoughts are outside candidates.
  gemini: {
    plain: { prompt: 800, cached: 0, candidates: 200, thoughts: 0 },
    cached: { prompt: 5000, cached: 4000, candidates: 100, thoughts: 0 },
    reasoning: { prompt: 300, cached: 0, candidates: 150, thoughts: 650 },
  },
} as const;

/** A running fake upstream. */
export interface FakeLlm {
  /** `http://127.0.0.1:<port>` (OpenAI clients append `/v1`). */
  url: string;
  /** Requests received, by route ("openai.chat", "openai.responses", "anthropic.messages", "gemini.generate", "gemini.stream"). */
  hits: Record<string, number>;
  /** All requests received. */
  total(): number;
  close(): Promise<void>;
}

function scenarioOf(body: string): Scenario {
  if (body.includes("#cached")) return "cached";
  if (body.includes("#reasoning")) return "reasoning";
  return "plain";
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function sse(res: ServerResponse, frames: string[]): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.end(frames.join(""));
}

function openaiUsage(s: Scenario): Record<string, unknown> {
  const c = COUNTS.openai[s];
  return {
    prompt_tokens: c.prompt,
    completion_tokens: c.completion,
    total_tokens: c.prompt + c.completion,
    prompt_tokens_details: { cached_tokens: c.cached, cache_write_tokens: c.cacheWrite, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: c.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function openaiChat(res: ServerResponse, body: Record<string, unknown>, s: Scenario): void {
  // The served snapshot, as OpenAI names it in responses.
  const model = `${String(body.model)}-2024-08-06`;
  const base = { id: "chatcmpl-fake", created: 1_700_000_000, model, system_fingerprint: "fp_fake" };
  if (body.stream !== true) {
    json(res, {
      ...base,
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello from the fake.", refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: openaiUsage(s),
    });
    return;
  }
  const withUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const chunk = (choices: unknown[], usage?: unknown): string =>
    `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices, ...(withUsage ? { usage: usage ?? null } : {}) })}\n\n`;
  const frames = [
    chunk([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]),
    chunk([{ index: 0, delta: { content: "Hello " }, logprobs: null, finish_reason: null }]),
    chunk([{ index: 0, delta: { content: "from the fake." }, logprobs: null, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }]),
  ];
  if (withUsage) frames.push(chunk([], openaiUsage(s)));
  frames.push("data: [DONE]\n\n");
  sse(res, frames);
}

function openaiResponses(res: ServerResponse, body: Record<string, unknown>, s: Scenario): void {
  const c = COUNTS.openai[s];
  json(res, {
    id: "resp_fake",
    object: "response",
    created_at: 1_700_000_000,
    status: "completed",
    model: `${String(body.model)}-2024-08-06`,
    output: [{ type: "message", id: "msg_fake", status: "completed", role: "assistant", content: [{ type: "output_text", text: "Hello from the fake.", annotations: [] }] }],
    usage: {
      input_tokens: c.prompt,
      input_tokens_details: { cached_tokens: c.cached, cache_write_tokens: c.cacheWrite },
      output_tokens: c.completion,
      output_tokens_details: { reasoning_tokens: c.reasoning },
      total_tokens: c.prompt + c.completion,
    },
  });
}

function anthropicUsage(s: Scenario, output: number): Record<string, unknown> {
  const c = COUNTS.anthropic[s];
  return {
    input_tokens: c.input,
    cache_read_input_tokens: c.cacheRead,
    cache_creation_input_tokens: c.write5m + c.write1h,
    cache_creation: { ephemeral_5m_input_tokens: c.write5m, ephemeral_1h_input_tokens: c.write1h },
    output_tokens: output,
    ...(c.thinking > 0 ? { output_tokens_details: { thinking_tokens: c.thinking } } : {}),
    service_tier: "standard",
  };
}

function anthropicMessages(res: ServerResponse, body: Record<string, unknown>, s: Scenario): void {
  const model = String(body.model);
  const message = { id: "msg_fake", type: "message", role: "assistant", model, stop_sequence: null };
  if (body.stream !== true) {
    json(res, { ...message, content: [{ type: "text", text: "Hello from the fake." }], stop_reason: "end_turn", usage: anthropicUsage(s, COUNTS.anthropic[s].output) });
    return;
  }
  const ev = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  const { output } = COUNTS.anthropic[s];
  sse(res, [
    ev("message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null, usage: anthropicUsage(s, 1) } }),
    ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
    ev("ping", { type: "ping" }),
    ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello from the fake." } }),
    ev("content_block_stop", { type: "content_block_stop", index: 0 }),
    // message_delta usage is cumulative: the SDK overwrites output_tokens with it.
    ev("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: output } }),
    ev("message_stop", { type: "message_stop" }),
  ]);
}

function geminiResponse(model: string, s: Scenario, text: string, final: boolean): Record<string, unknown> {
  const c = COUNTS.gemini[s];
  const usageMetadata: Record<string, unknown> = final
    ? { promptTokenCount: c.prompt, candidatesTokenCount: c.candidates, totalTokenCount: c.prompt + c.candidates + c.thoughts }
    : { promptTokenCount: c.prompt, totalTokenCount: c.prompt };
  if (c.cached > 0) usageMetadata.cachedContentTokenCount = c.cached;
  if (final && c.thoughts > 0) usageMetadata.thoughtsTokenCount = c.thoughts;
  return {
    candidates: [{ content: { parts: [{ text }], role: "model" }, ...(final ? { finishReason: "STOP" } : {}), index: 0 }],
    usageMetadata,
    // "-latest" aliases are served by a pinned version, as Google does.
    modelVersion: model.endsWith("-latest") ? "gemini-2.5-flash-001" : `${model}-001`,
    responseId: "fake",
  };
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeLlm(): Promise<FakeLlm> {
  const hits: Record<string, number> = {};
  const hit = (route: string): void => {
    hits[route] = (hits[route] ?? 0) + 1;
  };
  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const body = (text === "" ? {} : JSON.parse(text)) as Record<string, unknown>;
      const s = scenarioOf(text);
      const path = (req.url ?? "").split("?")[0] ?? "";
      const gemini = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
      if (req.method === "POST" && path.endsWith("/chat/completions")) {
        hit("openai.chat");
        openaiChat(res, body, s);
      } else if (req.method === "POST" && path.endsWith("/responses")) {
        hit("openai.responses");
        openaiResponses(res, body, s);
      } else if (req.method === "POST" && path.endsWith("/messages")) {
        hit("anthropic.messages");
        anthropicMessages(res, body, s);
      } else if (req.method === "POST" && gemini !== null) {
        const model = gemini[1] ?? "";
        if (gemini[2] === "generateContent") {
          hit("gemini.generate");
          json(res, geminiResponse(model, s, "Hello from the fake.", true));
        } else {
          hit("gemini.stream");
          sse(res, [
            `data: ${JSON.stringify(geminiResponse(model, s, "Hello ", false))}\r\n\r\n`,
            `data: ${JSON.stringify(geminiResponse(model, s, "from the fake.", true))}\r\n\r\n`,
          ]);
        }
      } else {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `fake upstream: no route for ${req.method} ${path}` } }));
      }
    })().catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    total: () => Object.values(hits).reduce((a, b) => a + b, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
