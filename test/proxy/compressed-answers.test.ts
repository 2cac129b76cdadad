// Upstreams (or gateways) that answer compressed although aegis asked for identity: the client's
// SDK gets the compressed bytes and decodes them itself; aegis reads the usage from a decoded copy
// and bills it exactly. A corrupt compressed body is billed at the estimate, and aegis goes on.
import { describe, expect, it } from "vitest";
import { request as httpRequest } from "node:http";
import { gunzipSync } from "node:zlib";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import type { ProxySession } from "../helpers/proxy-session.js";
import { useProxySuite } from "../helpers/proxy-suite.js";

const KEY = "sk-test-SECRET-0123456789abcdef";
const suite = useProxySuite();

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const openai = (s: ProxySession) => new OpenAI({ apiKey: KEY, baseURL: s.server.proxyUrls.openai, maxRetries: 0 });
const anthropic = (s: ProxySession) => new Anthropic({ apiKey: KEY, baseURL: s.server.proxyUrls.anthropic, maxRetries: 0 });

describe.each(["gzip", "br", "deflate"] as const)("answers compressed with %s", (compress) => {
  it("OpenAI chat (JSON, and a stream that asked for usage): the right text, exact tokens", async () => {
    suite.fake.reset({ compress, usage: { input: 1000, cached: 200, output: 300, reasoning: 100 }, chunks: 4 });
    const s = await suite.open();
    const r = await openai(s).chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
    expect(r.choices[0]?.message.content).toBe(suite.fake.settings.text);
    const stream = await openai(s).chat.completions.create({ model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] });
    let text = "";
    let usage: unknown;
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? "";
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe(suite.fake.settings.text);
    expect(usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 300 });
    expect(suite.fake.requests.every((q) => q.headers["accept-encoding"] === "identity")).toBe(true);
    const tokens = { input: 1000, cache_read: 200, output: 300, reasoning: 100 };
    // The ledger line follows the decoder's flush, which may end after the client has its answer.
    await until(() => s.decisions().length === 2);
    expect(s.decisions().map((d) => [d.action, d.estimated, d.tokens])).toEqual([
      ["allow", undefined, expect.objectContaining(tokens)],
      ["allow", undefined, expect.objectContaining(tokens)],
    ]);
  });

  it("OpenAI chat stream without include_usage: aegis still hides the usage chunk it asked for (sending the stream decoded)", async () => {
    suite.fake.reset({ compress, usage: { input: 40, output: 12 }, chunks: 4 });
    const s = await suite.open();
    const stream = await openai(s).chat.completions.create({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi" }] });
    let text = "";
    let chunks = 0;
    for await (const c of stream) {
      chunks++;
      expect(c.choices.length).toBeGreaterThan(0);
      text += c.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe(suite.fake.settings.text);
    expect(chunks).toBe(5); // 4 content chunks + the finish chunk, no usage-only chunk
    expect(suite.fake.requests[0]?.body?.stream_options).toEqual({ include_usage: true });
    await until(() => s.decisions().length === 1);
    expect(s.decisions()[0]).toMatchObject({ model: "gpt-4o-mini", tokens: { input: 40, output: 12 } });
    expect(s.decisions()[0]?.estimated).toBeUndefined();
  });

  it("Anthropic messages (JSON and stream): the right text, exact tokens", async () => {
    suite.fake.reset({ compress, usage: { input: 100, cached: 1000, cacheWrite: 50, output: 40 } });
    const s = await suite.open();
    const m = await anthropic(s).messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] });
    expect(m.content[0]?.type === "text" ? m.content[0].text : "").toBe(suite.fake.settings.text);
    const stream = anthropic(s).messages.stream({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] });
    let text = "";
    stream.on("text", (t) => (text += t));
    await stream.finalMessage();
    expect(text).toBe(suite.fake.settings.text);
    const tokens = { input: 100, cache_read: 1000, cache_write_5m: 50, cache_write_1h: 0, output: 40, reasoning: 0 };
    await until(() => s.decisions().length === 2);
    expect(s.decisions().map((d) => [d.estimated, d.tokens])).toEqual([
      [undefined, tokens],
      [undefined, tokens],
    ]);
  });
});

it("a Gemini streamed JSON array (gzip): the right text, exact tokens", async () => {
  suite.fake.reset({ compress: "gzip", usage: { input: 12, output: 9, reasoning: 4 }, chunks: 3 });
  const s = await suite.open();
  const res = await fetch(`${s.server.proxyUrls.gemini}/v1beta/models/gemini-2.5-flash:streamGenerateContent`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": KEY },
    body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
  });
  expect(res.headers.get("content-encoding")).toBe("gzip");
  const items = (await res.json()) as { candidates: { content: { parts: { text: string }[] } }[] }[];
  expect(items.map((i) => i.candidates[0]?.content.parts[0]?.text).join("")).toBe(suite.fake.settings.text);
  await until(() => s.decisions().length === 1);
  expect(s.decisions()[0]).toMatchObject({ model: "gemini-2.5-flash", tokens: { input: 12, output: 9, reasoning: 4 } });
  expect(s.decisions()[0]?.estimated).toBeUndefined();
});

describe("a corrupt gzip answer", () => {
  // Reads the raw answer (no decoding), as the proxy relayed it.
  const post = (url: string, body: string): Promise<{ status: number; encoding: string | undefined; bytes: Buffer }> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, encoding: res.headers["content-encoding"], bytes: Buffer.concat(chunks) }));
      });
      req.on("error", reject);
      req.end(body);
    });

  it.each([
    ["JSON", { stream: false }],
    ["a stream that asked for usage", { stream: true, stream_options: { include_usage: true } }],
  ])("%s: relayed as it came, billed at the estimate (marked, with why), and aegis still answers", async (_name, extra) => {
    suite.fake.reset({ compress: "corrupt-gzip", usage: { input: 10, output: 5 } });
    const s = await suite.open();
    const answer = await post(`${s.server.proxyUrls.openai}/chat/completions`, JSON.stringify({ model: "gpt-4o", max_tokens: 50, messages: [{ role: "user", content: "hi" }], ...extra }));
    expect(answer.status).toBe(200);
    expect(answer.encoding).toBe("gzip");
    expect(answer.bytes.length).toBeGreaterThan(10);
    expect(() => gunzipSync(answer.bytes)).toThrow();
    await expectEstimatedThenAnswering(s);
  });

  it("a stream whose usage chunk aegis hides: sent decoded, so the client gets the provider's error frame", async () => {
    suite.fake.reset({ compress: "corrupt-gzip", usage: { input: 10, output: 5 } });
    const s = await suite.open();
    const answer = await post(`${s.server.proxyUrls.openai}/chat/completions`, JSON.stringify({ model: "gpt-4o", max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] }));
    expect(answer.encoding).toBeUndefined();
    expect(answer.bytes.toString("utf8")).toContain("aegis: the openai upstream's compressed stream could not be decoded");
    await expectEstimatedThenAnswering(s);
  });

  // The corrupt call is billed at its worst case, marked, with why; the next call is metered exactly.
  async function expectEstimatedThenAnswering(s: ProxySession): Promise<void> {
    await until(() => s.decisions().length === 1);
    expect(s.decisions()[0]).toMatchObject({ action: "allow", estimated: true, model: "gpt-4o", tokens: { output: 50 } });
    expect(s.stderr.join("\n")).toMatch(/carried no usage \(its gzip body could not be decoded \(Z_DATA_ERROR\)\); billed its worst-case estimate/);

    suite.fake.reset({ compress: "gzip", usage: { input: 10, output: 5 } });
    const r = await openai(s).chat.completions.create({ model: "gpt-4o", max_tokens: 50, messages: [{ role: "user", content: "again" }] });
    expect(r.choices[0]?.message.content).toBe(suite.fake.settings.text);
    await until(() => s.decisions().length === 2);
    expect(s.decisions()[1]).toMatchObject({ action: "allow", tokens: { input: 10, output: 5 } });
    expect(s.decisions()[1]?.estimated).toBeUndefined();
  }
});
