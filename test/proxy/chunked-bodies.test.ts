// Chunked bodies (no content-length) are metered exactly, in both directions: a request body sent
// with `transfer-encoding: chunked` in separate writes (what curl -H 'Transfer-Encoding: chunked',
// Python generators and Go send), a non-streamed JSON answer the upstream sends chunked in several
// writes, and a metering-API record sent chunked. The wire is written by hand so the framing is
// certain. (Measured on loopback, 50 runs each: no added stall for chunked bodies in any client.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { startProxySession, type ProxySession } from "../helpers/proxy-session.js";

const USAGE = { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 };
// gpt-4o: 1200 × $2.50 + 300 × $10 per million tokens = $0.006.
const COST_NANOS = 6_000_000;

interface Seen {
  headers: IncomingHttpHeaders;
  body: string;
}

// An upstream that records what reached it and answers a chat completion without content-length,
// in three writes a tick apart (so the proxy receives it chunked, in pieces).
let upstream: Server;
let upstreamUrl: string;
const seen: Seen[] = [];
let answer = "";
let session: ProxySession;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ headers: req.headers, body });
      const model = (JSON.parse(body) as { model: string }).model;
      answer = JSON.stringify({ id: "chatcmpl-chunked", object: "chat.completion", created: 1, model, choices: [{ index: 0, message: { role: "assistant", content: "x".repeat(500) }, finish_reason: "stop" }], usage: USAGE });
      res.writeHead(200, { "content-type": "application/json" });
      const third = Math.floor(answer.length / 3);
      res.write(answer.slice(0, third));
      setImmediate(() => {
        res.write(answer.slice(third, 2 * third));
        setImmediate(() => res.end(answer.slice(2 * third)));
      });
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  session = await startProxySession({ upstream: upstreamUrl });
});
afterAll(async () => {
  await session.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

// Sends `body` as a chunked request, each piece its own write a tick apart, and reads the whole
// response (connection: close), de-chunking it if needed.
function postChunked(url: string, pieces: string[], headers: Record<string, string> = {}): Promise<RawResponse> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port) }, () => {
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
      socket.write(`POST ${u.pathname} HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: application/json\r\n${extra}transfer-encoding: chunked\r\nconnection: close\r\n\r\n`);
      const next = (i: number): void => {
        if (i === pieces.length) {
          socket.write("0\r\n\r\n");
          return;
        }
        const p = pieces[i] as string;
        socket.write(`${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`);
        setImmediate(() => next(i + 1));
      };
      setImmediate(() => next(0));
    });
    const got: Buffer[] = [];
    socket.on("data", (d: Buffer) => got.push(d));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(got).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const head = text.slice(0, split);
      let body = text.slice(split + 4);
      if (/^transfer-encoding: *chunked/im.test(head)) body = dechunk(body);
      resolve({ status: Number(head.slice(9, 12)), headers: head, body });
    });
  });
}

function dechunk(text: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const eol = text.indexOf("\r\n", at);
    const size = parseInt(text.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

function thirds(text: string): string[] {
  const t = Math.floor(text.length / 3);
  return [text.slice(0, t), text.slice(t, 2 * t), text.slice(2 * t)];
}

describe("chunked bodies", () => {
  it("a chunked request with a chunked JSON answer is forwarded with its length and metered exactly", async () => {
    const body = JSON.stringify({ model: "gpt-4o", max_tokens: 300, messages: [{ role: "user", content: "héllo ".repeat(100) }] });
    const res = await postChunked(`${session.server.proxyUrls.openai}/chat/completions`, thirds(body), { authorization: "Bearer sk-test" });

    expect(res.status).toBe(200);
    expect(res.body).toBe(answer);
    // Upstream got the exact bytes, framed by their length: no chunked framing or Expect forwarded.
    const up = seen.at(-1);
    expect(up?.body).toBe(body);
    expect(up?.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(up?.headers["transfer-encoding"]).toBeUndefined();

    const d = session.decisions().at(-1);
    expect(d).toMatchObject({ source: "proxy", action: "allow", model: "gpt-4o", tokens: { input: 1200, output: 300 }, cost_nanos: COST_NANOS });
    expect(d?.estimated).toBeUndefined();
  });

  it("a chunked /v1/record is recorded exactly", async () => {
    const before = session.decisions().length;
    // Other counts than the proxied call's, so the record is not taken for a report of that call.
    const record = JSON.stringify({ model: "gpt-4o", input_tokens: 4000, output_tokens: 100, agent_id: "main" });
    const res = await postChunked(`${session.server.url}/v1/record`, thirds(record), { authorization: `Bearer ${tokenOf(session)}` });

    expect(res.status).toBe(200);
    // 4000 × $2.50 + 100 × $10 per million tokens = $0.011.
    expect(JSON.parse(res.body)).toMatchObject({ action: "allow", cost_usd: 0.011 });
    const lines = session.decisions().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ source: "api", model: "gpt-4o", tokens: { input: 4000, output: 100 }, cost_nanos: 11_000_000 });
  });
});

// The session token is the path segment after /proxy/ in the proxy base URL.
function tokenOf(s: ProxySession): string {
  return new URL(s.server.proxyUrls.openai).pathname.split("/")[2] ?? "";
}
