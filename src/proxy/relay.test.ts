// relayBody over real HTTP with compressed upstream bodies: the client gets the bytes unchanged,
// the usage is read from a decoded copy, and an undecodable body says why it has no usage.
import { afterEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough, Readable } from "node:stream";
import * as zlib from "node:zlib";
import { ADAPTERS } from "./providers/index.js";
import type { Framing } from "./providers/types.js";
import { clientResponseHeaders } from "./headers.js";
import { relayBody, type RelayCall, type RelayOutcome } from "./relay.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server === undefined ? r() : server.close(() => r())));
  server = undefined;
});

interface Answer {
  received: Buffer;
  encoding: string | undefined;
}

// Serves `pieces` through relayBody once, headers as metered-call.ts sends them; resolves with what
// the client read (raw bytes and content-encoding) once its answer has ended, and the outcome.
async function serve(pieces: Buffer[] | Readable, encoding: string | undefined, framing: Framing, call: RelayCall): Promise<{ answer: Answer; outcome: Promise<RelayOutcome> }> {
  let outcome: Promise<RelayOutcome> | undefined;
  server = createServer((_req, res) => {
    const upstream = { "content-type": framing === "sse" ? "text/event-stream" : "application/json", "content-encoding": encoding };
    res.writeHead(200, clientResponseHeaders(upstream, framing === "sse" && call.hideUsageOnlyChunk));
    outcome = relayBody(Array.isArray(pieces) ? Readable.from(pieces) : pieces, res, framing, { ...call, contentEncoding: encoding });
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const answer = await new Promise<Answer>((resolve, reject) => {
    request({ host: "127.0.0.1", port, path: "/" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ received: Buffer.concat(chunks), encoding: res.headers["content-encoding"] }));
    })
      .on("error", reject)
      .end();
  });
  if (outcome === undefined) throw new Error("the server never relayed");
  return { answer, outcome };
}

// serve(), waiting for the outcome too.
async function relay(pieces: Buffer[], encoding: string | undefined, framing: Framing, call: RelayCall): Promise<Answer & { outcome: RelayOutcome }> {
  const { answer, outcome } = await serve(pieces, encoding, framing, call);
  return { ...answer, outcome: await outcome };
}

// Splits bytes into pieces of `size`, as a network would.
const split = (bytes: Buffer, size: number): Buffer[] => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

const chunk = (extra: Record<string, unknown>): string => `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", model: "gpt-4o", ...extra })}\n\n`;
const CHAT_SSE = [
  chunk({ choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }] }),
  chunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
  chunk({ choices: [], usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 } }),
  "data: [DONE]\n\n",
].join("");
const chatCall: RelayCall = { adapter: ADAPTERS.openai, kind: "chat", model: "gpt-4o", hideUsageOnlyChunk: false };

describe("relayBody with a compressed upstream body", () => {
  it.each([
    ["gzip", zlib.gzipSync(CHAT_SSE)],
    ["br", zlib.brotliCompressSync(Buffer.from(CHAT_SSE))],
    ["deflate", zlib.deflateRawSync(CHAT_SSE)],
  ])("SSE (%s): bytes unchanged to the client, usage from the decoded copy", async (encoding, bytes) => {
    const { received, encoding: sent, outcome } = await relay(split(bytes, 9), encoding, "sse", chatCall);
    expect(sent).toBe(encoding);
    expect(received.equals(bytes)).toBe(true);
    expect(outcome).toMatchObject({ complete: true, clientGone: false, usage: { model: "gpt-4o", inputTokens: 40, outputTokens: 12 } });
    expect(outcome.why).toBeUndefined();
  });

  it.each([
    ["gzip", zlib.gzipSync(CHAT_SSE)],
    ["br", zlib.brotliCompressSync(Buffer.from(CHAT_SSE))],
  ])("SSE whose usage chunk aegis hides (%s): sent decoded, without that chunk or the content-encoding", async (encoding, bytes) => {
    const { received, encoding: sent, outcome } = await relay(split(bytes, 50), encoding, "sse", { ...chatCall, hideUsageOnlyChunk: true });
    expect(sent).toBeUndefined();
    expect(received.toString("utf8")).toBe(CHAT_SSE.split("\n\n").filter((e) => !e.includes('"usage"')).join("\n\n"));
    expect(outcome.usage).toMatchObject({ inputTokens: 40, outputTokens: 12 });
  });

  it("SSE whose usage chunk aegis would hide, in an encoding it cannot decode: passed unchanged, usage chunk included", async () => {
    const bytes = Buffer.from("\x00\x01 not decodable");
    const { received, encoding, outcome } = await relay([bytes], "compress", "sse", { ...chatCall, hideUsageOnlyChunk: true });
    expect(encoding).toBe("compress");
    expect(received.equals(bytes)).toBe(true);
    expect(outcome.why).toBe('its content-encoding "compress" cannot be decoded by aegis');
  });

  it("SSE whose usage chunk aegis hides, corrupt gzip: what decoded is sent, then the provider's error frame", async () => {
    const bytes = zlib.gzipSync(CHAT_SSE);
    bytes.fill(0, bytes.length - 12); // the stream's tail and checksum
    const { received, outcome } = await relay([bytes], "gzip", "sse", { ...chatCall, hideUsageOnlyChunk: true });
    expect(received.toString("utf8")).toMatch(/data: \{"error":\{"message":"aegis: the openai upstream's compressed stream could not be decoded"/);
    expect(outcome.usage).toBeUndefined();
    expect(outcome.why).toMatch(/^its gzip body could not be decoded/);
  });

  it("JSON (br) and a Gemini streamed JSON array (gzip)", async () => {
    const json = JSON.stringify({ id: "x", object: "chat.completion", model: "gpt-4o", choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } });
    const a = await relay([zlib.brotliCompressSync(json)], "br", "json", chatCall);
    expect(a.outcome.usage).toMatchObject({ inputTokens: 7, outputTokens: 3 });
    const el = (n: number) => JSON.stringify({ candidates: [{ content: { parts: [{ text: "x" }] } }], usageMetadata: { promptTokenCount: 9, candidatesTokenCount: n, totalTokenCount: 9 + n } });
    const array = zlib.gzipSync(`[${el(1)}\r\n,${el(6)}\r\n]`);
    const b = await relay(split(array, 11), "gzip", "json-array", { adapter: ADAPTERS.gemini, kind: "generate", model: "gemini-2.5-flash", hideUsageOnlyChunk: false });
    expect(b.received.equals(array)).toBe(true);
    expect(b.outcome.usage).toMatchObject({ inputTokens: 9, outputTokens: 6 });
  });

  it("an encoding aegis cannot decode: bytes unchanged, no usage, and why", async () => {
    const bytes = Buffer.from(CHAT_SSE); // labelled, not really compressed: aegis must not read it anyway
    const { received, outcome } = await relay([bytes], "compress", "sse", chatCall);
    expect(received.equals(bytes)).toBe(true);
    expect(outcome).toMatchObject({ complete: true, usage: undefined, why: 'its content-encoding "compress" cannot be decoded by aegis' });
  });

  it("a corrupt gzip stream: bytes unchanged, no usage (not even the part decoded before the damage), and why", async () => {
    // Distinct events, so that the half decoded before the damage holds usage chunks.
    const sse = Array.from({ length: 20 }, (_, i) => CHAT_SSE.replaceAll('"Hi"', `"${createHash("sha256").update(String(i)).digest("hex")}"`)).join("");
    const bytes = zlib.gzipSync(sse);
    bytes.fill(0, Math.floor(bytes.length / 2));
    const { received, outcome } = await relay(split(bytes, 64), "gzip", "sse", chatCall);
    expect(received.equals(bytes)).toBe(true);
    expect(outcome.usage).toBeUndefined();
    expect(outcome.complete).toBe(true);
    expect(outcome.why).toMatch(/^its gzip body could not be decoded/);
  });

  it("SSE whose usage chunk aegis hides, corrupt gzip: the client's stream ends at once, not when the upstream's does", async () => {
    const upstream = new PassThrough();
    upstream.write(Buffer.concat([zlib.gzipSync(CHAT_SSE).subarray(0, 10), Buffer.alloc(64, 0xff)]));
    // The client's answer can only end while the upstream is still open if the relay ends it.
    const { answer, outcome } = await serve(upstream, "gzip", "sse", { ...chatCall, hideUsageOnlyChunk: true });
    expect(upstream.writableEnded).toBe(false);
    expect(answer.received.toString("utf8")).toContain("compressed stream could not be decoded");
    upstream.end();
    expect(await outcome).toMatchObject({ complete: true, usage: undefined, why: expect.stringMatching(/gzip body could not be decoded/) });
  });

  it("an identity body is still read as before", async () => {
    const { received, outcome } = await relay(split(Buffer.from(CHAT_SSE), 5), undefined, "sse", chatCall);
    expect(received.toString("utf8")).toBe(CHAT_SSE);
    expect(outcome.usage).toMatchObject({ inputTokens: 40, outputTokens: 12 });
  });
});
