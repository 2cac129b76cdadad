import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Agent, request } from "node:http";
import { KEEP_ALIVE_MS, startMeteringServer, whenAnsweredBy, type MeteringServer, type MeteringService, type MeteredCall } from "./index.js";
import type { Decision } from "../core/policy/types.js";
import type { SessionReport } from "../core/report/types.js";

const TOKEN = "t".repeat(64);

// A stand-in session: records calls so tests can see that bad input never reaches it.
function fakeService(): MeteringService & { calls: MeteredCall[] } {
  const calls: MeteredCall[] = [];
  const decision = (call: MeteredCall): Decision => ({
    action: call.usage.model === "blockme" ? "block" : "allow",
    reason: call.usage.model === "blockme" ? "Session spend $1.0000 would exceed per-session limit $0.5000" : "",
    dimension: call.usage.model === "blockme" ? "per_session" : "",
    cost: 1_500_000,
    cumulative: 3_000_000_000,
    fatal: call.usage.model === "blockme",
    alerts: [],
  });
  return {
    calls,
    check: async (call) => decision(call),
    record: async (call) => {
      calls.push(call);
      return decision(call);
    },
    admit: async () => {
      throw new Error("not used");
    },
    settle: async () => {
      throw new Error("not used");
    },
    release: async () => {},
    report: async () => ({ session_id: "s1" }) as unknown as SessionReport,
  };
}

let server: MeteringServer;
let service: ReturnType<typeof fakeService>;
beforeEach(async () => {
  service = fakeService();
  server = await startMeteringServer({ service, token: TOKEN, bodyLimit: 1024 });
});
afterEach(async () => {
  await server.close();
});

async function call(method: string, path: string, body?: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const res = await fetch(`${server.url}${path}`, { method, body, headers });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

const usage = JSON.stringify({ model: "gpt-4o", input_tokens: 100, output_tokens: 20 });

describe("metering server", () => {
  it("listens on 127.0.0.1 and hands out proxy URLs carrying the token", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.proxyUrls.openai).toBe(`${server.url}/proxy/${TOKEN}/openai/v1`);
    expect(server.proxyUrls.anthropic).toBe(`${server.url}/proxy/${TOKEN}/anthropic`);
    expect(server.proxyUrls.gemini).toBe(`${server.url}/proxy/${TOKEN}/gemini`);
  });

  it("answers decisions in snake_case USD", async () => {
    const r = await call("POST", "/v1/record", usage);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ action: "allow", reason: "", dimension: "", cost_usd: 0.0015, cumulative_usd: 3, fatal: false, alerts: [] });
    expect(service.calls).toHaveLength(1);
    expect(service.calls[0]?.source).toBe("api");
  });

  it("check does not record", async () => {
    expect((await call("POST", "/v1/check", usage)).status).toBe(200);
    expect(service.calls).toHaveLength(0);
  });

  it("marks calls from the JS client", async () => {
    await call("POST", "/v1/record", usage, { authorization: `Bearer ${TOKEN}`, "x-aegis-source": "client" });
    expect(service.calls[0]?.source).toBe("client");
  });

  it("serves the report", async () => {
    const r = await call("GET", "/v1/report");
    expect(r.json.session_id).toBe("s1");
  });

  it.each([
    ["no token", {}],
    ["wrong token", { authorization: `Bearer ${"u".repeat(64)}` }],
    ["short token", { authorization: "Bearer x" }],
    ["not bearer", { authorization: `Basic ${TOKEN}` }],
  ])("refuses %s with 401 and records nothing", async (_name, headers: Record<string, string>) => {
    const r = await call("POST", "/v1/record", usage, headers);
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBe("Bearer");
    expect(String((r.json.error as { message: string }).message)).toMatch(/Authorization: Bearer/);
    expect(service.calls).toHaveLength(0);
  });

  it("answers 400 naming the field and records nothing", async () => {
    const r = await call("POST", "/v1/record", JSON.stringify({ model: "m", input_tokens: -1, output_tokens: 0 }));
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: { message: "input_tokens: expected a non-negative integer, received -1 (number)" } });
    expect(service.calls).toHaveLength(0);
  });

  it("answers 413 for a body over the limit, by Content-Length or streamed", async () => {
    const big = JSON.stringify({ model: "m".repeat(2000), input_tokens: 1, output_tokens: 1 });
    expect((await call("POST", "/v1/record", big)).status).toBe(413);
    // Chunked, so the server only learns the size while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/record`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 10; i++) req.write("x".repeat(500));
      req.end();
    });
    expect(status).toBe(413);
    expect(service.calls).toHaveLength(0);
    // The server is still healthy afterwards.
    expect((await call("POST", "/v1/record", usage)).status).toBe(200);
  });

  it("answers 404 for unknown routes and 405 for wrong methods", async () => {
    expect((await call("GET", "/v1/nope")).status).toBe(404);
    const r = await call("GET", "/v1/record");
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST");
    expect((await call("POST", "/v1/report", usage)).status).toBe(405);
  });

  it("proxy routes verify the path token and default to a provider-shaped 501", async () => {
    expect((await call("POST", `/proxy/${"u".repeat(64)}/openai/v1/chat/completions`, "{}", {})).status).toBe(401);
    expect((await call("POST", `/proxy/${TOKEN}/mistral/v1/chat`, "{}", {})).status).toBe(404);
    expect((await call("POST", `/proxy/%E0%A4%A/openai/v1/chat/completions`, "{}", {})).status).toBe(401);
    const openai = await call("POST", `/proxy/${TOKEN}/openai/v1/chat/completions`, "{}", {});
    expect(openai.status).toBe(501);
    expect(openai.headers.get("x-should-retry")).toBe("false");
    expect(openai.json.error).toMatchObject({ type: "aegis_error", param: null });
    const anthropic = await call("POST", `/proxy/${TOKEN}/anthropic/v1/messages`, "{}", {});
    expect(anthropic.json).toMatchObject({ type: "error", error: { type: "api_error" } });
    const gemini = await call("POST", `/proxy/${TOKEN}/gemini/v1beta/models/x:generateContent?key=k`, "{}", {});
    expect(gemini.json).toMatchObject({ error: { code: 501, status: "UNIMPLEMENTED" } });
  });

  it("dispatches proxy routes to the registered handler with provider, path and query", async () => {
    server.setProxyHandler((_req, res, route) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(route));
    });
    const r = await call("POST", `/proxy/${TOKEN}/gemini/v1beta/models/g:streamGenerateContent?alt=sse`, "{}", {});
    expect(r.json).toEqual({ provider: "gemini", path: "/v1beta/models/g:streamGenerateContent", search: "?alt=sse" });
  });

  it("whenAnsweredBy runs the action after the response is sent, and at once if it already was", async () => {
    const order: string[] = [];
    server.setProxyHandler((_req, res) => {
      res.on("finish", () => order.push("finished"));
      whenAnsweredBy(res)(() => order.push("after"));
      order.push("answering");
      res.end("ok");
      whenAnsweredBy(res)(() => order.push("after, already sent"));
    });
    await fetch(`${server.url}/proxy/${TOKEN}/openai/v1/x`);
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(["answering", "finished", "after", "after, already sent"]);
  });

  it("hands the service each call with the whenAnswered of its own response", async () => {
    const order: string[] = [];
    const record = service.record;
    service.record = async (c) => {
      // Deferred while the decision is still being made: it must wait for the response.
      c.whenAnswered?.(() => order.push("stopped"));
      await new Promise((r) => setTimeout(r, 30));
      order.push("decided");
      return record(c);
    };
    const answer = await call("POST", "/v1/record", JSON.stringify({ model: "blockme", input_tokens: 1, output_tokens: 1 }));
    await new Promise((r) => setTimeout(r, 20));
    expect(answer.status).toBe(200);
    expect(typeof service.calls[0]?.whenAnswered).toBe("function");
    expect(order).toEqual(["decided", "stopped"]);
  });

  it("answers 500 without crashing when the service throws", async () => {
    service.record = async () => {
      throw new Error("boom");
    };
    expect((await call("POST", "/v1/record", usage)).status).toBe(500);
    expect((await call("POST", "/v1/check", usage)).status).toBe(200);
  });

  it("close makes the endpoints vanish", async () => {
    const url = server.url;
    await server.close();
    await expect(fetch(`${url}/v1/report`)).rejects.toThrow();
    server = await startMeteringServer({ service, token: TOKEN });
  });

  // node:http's Agent keeps idle sockets with no timeout of its own; at Node's default (5 s, closed
  // at 6 s) the second call below was sent on a socket the server was closing ("socket hang up").
  it("keeps an idle keep-alive connection open past Node's 5 s default, announcing how long", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = () =>
      new Promise<{ status: number; reused: boolean; keepAlive: unknown }>((resolve, reject) => {
        const req = request(`${server.url}/v1/check`, { method: "POST", agent, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, keepAlive: res.headers["keep-alive"] }));
        });
        req.on("error", reject);
        req.end(usage);
      });
    try {
      const first = await post();
      expect(first).toEqual({ status: 200, reused: false, keepAlive: `timeout=${KEEP_ALIVE_MS / 1000}` });
      await new Promise((r) => setTimeout(r, 6_500));
      expect(await post()).toMatchObject({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 15_000);
});
