#!/usr/bin/env node
// The floor of a Node.js proxy on this machine: node:http server → undici Pool (keep-alive) →
// upstream, bodies streamed both ways, nothing else. Run as its own process on aegis's CPU, it is
// the "floor" arm of P1/S1: what any Node proxy adds here, so that aegis's own cost is
// via − floor. `node bench/floor-proxy.mjs <upstream-origin>`; prints {"port":N} when listening.
import { createServer } from "node:http";
import { Pool } from "undici";

const upstream = process.argv[2];
if (!upstream) throw new Error("usage: floor-proxy.mjs <upstream origin>");
const pool = new Pool(upstream, { connections: 256, keepAliveTimeout: 60_000 });
const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host", "content-length"]);

const server = createServer({ noDelay: true }, async (req, res) => {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k)) headers[k] = v;
  if (req.headers["content-length"] !== undefined) headers["content-length"] = req.headers["content-length"];
  try {
    const r = await pool.request({ method: req.method, path: req.url, headers, body: req.method === "GET" ? null : req });
    const out = {};
    for (const [k, v] of Object.entries(r.headers)) if (!HOP.has(k) || k === "content-length") out[k] = v;
    res.writeHead(r.statusCode, out);
    if (!String(r.headers["content-type"] ?? "").includes("event-stream")) return void r.body.pipe(res);
    res.flushHeaders();
    r.body.on("data", (chunk) => res.write(chunk));
    r.body.on("end", () => res.end());
  } catch (error) {
    res.writeHead(502, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: String(error) } }));
  }
});
server.keepAliveTimeout = 120_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on("SIGTERM", () => process.exit(0));
