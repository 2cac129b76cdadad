#!/usr/bin/env node
// The floor of a Node.js proxy on this machine: node:http server → node:http keep-alive agent (the
// client aegis uses) → upstream, bodies streamed both ways, nothing else. Run as its own process on aegis's CPU, it is
// the "floor" arm of P1/S1: what any Node proxy adds here, so that aegis's own cost is
// via − floor. `node bench/floor-proxy.mjs <upstream-origin>`; prints {"port":N} when listening.
import { Agent, createServer, request } from "node:http";

const upstream = process.argv[2];
if (!upstream) throw new Error("usage: floor-proxy.mjs <upstream origin>");
const target = new URL(upstream);
const agent = new Agent({ keepAlive: true, scheduling: "lifo", noDelay: true });
const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host", "content-length"]);

const server = createServer({ noDelay: true }, (req, res) => {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k)) headers[k] = v;
  if (req.headers["content-length"] !== undefined) headers["content-length"] = req.headers["content-length"];
  const up = request({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (r) => {
    const out = {};
    for (const [k, v] of Object.entries(r.headers)) if (!HOP.has(k) || k === "content-length") out[k] = v;
    res.writeHead(r.statusCode, out);
    if (!String(r.headers["content-type"] ?? "").includes("event-stream")) return void r.pipe(res);
    res.flushHeaders();
    r.on("data", (chunk) => res.write(chunk));
    r.on("end", () => res.end());
  });
  up.on("error", (error) => {
    res.writeHead(502, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: String(error) } }));
  });
  req.pipe(up);
});
server.keepAliveTimeout = 120_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on("SIGTERM", () => process.exit(0));
