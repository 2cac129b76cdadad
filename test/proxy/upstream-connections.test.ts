// The proxy's connections to the upstream, driven by the official openai SDK with retries off:
// a kept-alive socket the upstream closed while idle is not a failed call (the request is sent
// again on a new connection, billed once), and a connection that dies after the whole request was
// sent is billed at its worst case (the upstream may have run it) and answered 502.
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type Server, type Socket } from "node:net";
import OpenAI from "openai";
import { startProxySession, type ProxySession } from "../helpers/proxy-session.js";

const KEY = "sk-test-0123456789abcdef";
let session: ProxySession | undefined;
let upstream: Server | undefined;

afterEach(async () => {
  await session?.close();
  session = undefined;
  await new Promise((r) => (upstream === undefined ? r(undefined) : upstream.close(r)));
  upstream = undefined;
});

const ANSWER = JSON.stringify({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1767225600,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
});

/**
 * A raw HTTP/1.1 upstream: `onRequest(connection, index)` is told of each complete request (index
 * counts requests on that connection) and returns "answer", "hang-up" (close without a byte) or
 * "reset" (RST).
 */
async function rawUpstream(onRequest: (connection: number, index: number) => "answer" | "hang-up" | "reset"): Promise<{ url: string; connections: () => number; requests: () => number }> {
  let connections = 0;
  let requests = 0;
  upstream = createServer((socket: Socket) => {
    const connection = ++connections;
    let index = 0;
    let buffered = Buffer.alloc(0);
    socket.on("error", () => undefined);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf("\r\n\r\n");
        if (end < 0) return;
        const length = Number(/content-length:\s*(\d+)/i.exec(buffered.subarray(0, end).toString("latin1"))?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.subarray(end + 4 + length);
        requests++;
        const what = onRequest(connection, ++index);
        if (what === "reset") return void socket.resetAndDestroy();
        if (what === "hang-up") return void socket.end();
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(ANSWER)}\r\nconnection: keep-alive\r\n\r\n${ANSWER}`);
      }
    });
  });
  await new Promise<void>((r) => upstream?.listen(0, "127.0.0.1", r));
  const address = upstream.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}`, connections: () => connections, requests: () => requests };
}

const chat = (client: OpenAI) => client.chat.completions.create({ model: "gpt-4o", max_tokens: 100, messages: [{ role: "user", content: `hi ${Math.random()}` }] });

describe("upstream connections", () => {
  it.each(["reset", "hang-up"] as const)("a kept-alive socket the upstream dropped (%s) is retried on a new connection and billed once", async (how) => {
    // The second request on the first connection meets a socket the server gave up on.
    const up = await rawUpstream((connection, index) => (connection === 1 && index === 2 ? how : "answer"));
    session = await startProxySession({ upstream: up.url });
    const client = new OpenAI({ apiKey: KEY, baseURL: session.server.proxyUrls.openai, maxRetries: 0 });
    expect((await chat(client)).choices[0]?.message.content).toBe("ok");
    expect((await chat(client)).choices[0]?.message.content).toBe("ok");
    expect(up.connections()).toBe(2);
    expect(up.requests()).toBe(3);
    const ds = session.decisions();
    expect(ds.map((d) => [d.action, d.tokens.input, d.tokens.output, d.estimated])).toEqual([
      ["allow", 11, 7, undefined],
      ["allow", 11, 7, undefined],
    ]);
  });

  it("a connection that dies after the request was sent is billed at the worst case, marked estimated, and answered 502", async () => {
    const up = await rawUpstream(() => "hang-up");
    session = await startProxySession({ upstream: up.url });
    const client = new OpenAI({ apiKey: KEY, baseURL: session.server.proxyUrls.openai, maxRetries: 0 });
    const err = await chat(client).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(502);
    expect((err as Error).message).toContain("dropped the connection without answering");
    const ds = session.decisions();
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ action: "allow", estimated: true, tokens: { output: 100 } });
    expect(ds[0]?.cost_nanos).toBeGreaterThan(100 * 10_000); // 100 output tokens at $10/M, plus the prompt bound
    expect(session.stderr.join("\n")).toMatch(/connection failed after the request for gpt-4o was sent.*billed its worst-case estimate/);
  });
});
