// The open-loop load generator of M2 (bench/lib/raw-http.mjs): it must send every request it
// schedules with the body and headers it was given, read answers split across TCP chunks, count
// non-2xx answers as errors, and charge a stalled server's delay to the latency (no coordinated
// omission) — else the M2 open-loop figure could pass for a server that is not keeping up.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { rawOpenLoop } from "../../bench/lib/raw-http.mjs";

const servers: Array<{ close: () => void; closeAllConnections: () => void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => handler(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/record`;
}

describe("rawOpenLoop", () => {
  it("sends every scheduled request with its body and headers, and counts 2xx and non-2xx apart", async () => {
    const seen: number[] = [];
    const url = await serve((req, body, res) => {
      const { i } = JSON.parse(body) as { i: number };
      seen.push(i);
      expect(req.headers.authorization).toBe("Bearer t");
      expect(req.url).toBe("/v1/record");
      // Every tenth answer is a 500, written in two pieces so the client must join them.
      const status = i % 10 === 0 ? 500 : 200;
      const text = JSON.stringify({ ok: status === 200, pad: "x".repeat(i % 7) });
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.write(text.slice(0, 3));
      setImmediate(() => res.end(text.slice(3)));
    });
    const r = await rawOpenLoop({ url, headers: { authorization: "Bearer t" }, body: (i) => JSON.stringify({ i }), rate: 400, seconds: 0.5, warmupSeconds: 0.25 });
    // 100 warm-up requests (not recorded) then 200 recorded ones, indices 100–299.
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(r.ok).toBe(180);
    expect(r.errors).toBe(20);
    expect(r.lastError).toBe("HTTP 500");
    expect(r.latencies).toHaveLength(180);
    expect(r.timed_out).toBe(0);
  });

  it("charges a server stall to every request scheduled during it", async () => {
    let stalled = false;
    const url = await serve((_req, body, res) => {
      const { i } = JSON.parse(body) as { i: number };
      const answer = () => res.writeHead(200, { "content-length": 2 }).end("{}");
      // Request 60 (the 11th recorded one at 200/s) blocks the whole server for 150 ms.
      if (i === 60 && !stalled) {
        stalled = true;
        const until = Date.now() + 150;
        while (Date.now() < until);
      }
      answer();
    });
    const r = await rawOpenLoop({ url, body: (i) => JSON.stringify({ i }), rate: 200, seconds: 1, warmupSeconds: 0.25 });
    expect(r.ok).toBe(200);
    const slow = r.latencies.filter((ms) => ms > 50).length;
    // A closed loop would see one slow request; from the scheduled send time, the ~30 requests
    // due during the 150 ms stall all count it.
    expect(slow).toBeGreaterThanOrEqual(15);
    expect(Math.max(...r.latencies)).toBeGreaterThanOrEqual(140);
  });

  it("counts requests the server never answers as timed out instead of waiting for them", async () => {
    const url = await serve((_req, body, res) => {
      const { i } = JSON.parse(body) as { i: number };
      if (i % 2 === 0) res.writeHead(200, { "content-length": 2 }).end("{}");
      // Odd requests are left hanging; their connections stay busy.
    });
    const r = await rawOpenLoop({ url, body: (i) => JSON.stringify({ i }), rate: 100, seconds: 0.4, warmupSeconds: 0, graceSeconds: 0.3 });
    expect(r.ok).toBe(20);
    expect(r.timed_out).toBe(20);
    expect(r.errors).toBe(20);
  });
});
