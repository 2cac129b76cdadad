// The load generator's HTTP client: node:http over keep-alive agents (one per arm, so every arm
// reuses its own warm connections), timed with process.hrtime.bigint(). `send` times a whole
// response; `streamTimes` also timestamps each SSE frame as it arrives.
import http from "node:http";

/** A keep-alive agent with up to `sockets` connections. */
export function keepAliveAgent(sockets = 1) {
  return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, scheduling: "lifo" });
}

const now = () => process.hrtime.bigint();
const ms = (from, to) => Number(to - from) / 1e6;

function options(url, agent, headers, body, signal) {
  const u = new URL(url);
  return {
    ...(signal ? { signal } : {}),
    host: u.hostname,
    port: u.port,
    path: u.pathname + u.search,
    method: body === undefined ? "GET" : "POST",
    agent,
    headers: body === undefined ? headers : { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
  };
}

/**
 * One request; resolves to { status, ms, bytes, overhead } (ms: request start → last body byte;
 * overhead: aegis's self-timed x-aegis-overhead-ms, when the answer came through aegis).
 */
export function send(agent, url, { headers = {}, body, signal } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const req = http.request(options(url, agent, headers, body, signal), (res) => {
      let bytes = 0;
      res.on("data", (c) => (bytes += c.length));
      res.on("end", () => resolve({ status: res.statusCode, ms: ms(t0, now()), bytes, overhead: overheadOf(res) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

// aegis's own time on the call as it reports it (absent on the other arms).
const overheadOf = (res) => {
  const v = Number(res.headers["x-aegis-overhead-ms"]);
  return Number.isFinite(v) && res.headers["x-aegis-overhead-ms"] !== undefined ? v : undefined;
};

/** Like `send`, but also returns the body text (for checks, not timed paths). */
export function fetchText(agent, url, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(options(url, agent, headers, body), (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

// A content frame carries the mock's marker "dlt<n> " (see mock-upstream.mjs).
const MARKER = "dlt";

/**
 * A streamed request: resolves to { status, ttft, gaps, frames, totalMs } — ttft is request start →
 * arrival of the first content frame; gaps are the arrival intervals between content frames.
 */
export function streamTimes(agent, url, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const req = http.request(options(url, agent, headers, body), (res) => {
      let buf = "";
      let frames = 0;
      let first;
      let last;
      const gaps = [];
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        const t = now();
        buf += chunk;
        // Frames end with a blank line (LF or CRLF); every complete one is stamped with this arrival.
        let end;
        while ((end = buf.search(/\r?\n\r?\n/)) !== -1) {
          const frame = buf.slice(0, end);
          buf = buf.slice(end + (buf[end] === "\r" ? 4 : 2));
          if (!frame.includes(MARKER)) continue;
          frames++;
          if (first === undefined) first = t;
          else gaps.push(ms(last, t));
          last = t;
        }
      });
      res.on("end", () => resolve({ status: res.statusCode, ttft: first === undefined ? NaN : ms(t0, first), gaps, frames, totalMs: ms(t0, now()), overhead: overheadOf(res) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
