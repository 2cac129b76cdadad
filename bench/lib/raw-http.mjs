// A minimal HTTP/1.1 keep-alive client on raw sockets for the open-loop scenarios. Node's own
// client (and undici) cost 50–150 µs of CPU per request and allocate enough to stall in GC: at a
// fixed 5,000 req/s against a server that does nothing, their open-loop p99 was 11–600 ms on this
// machine, which would be charged to aegis. This client writes a prebuilt request and reads a
// Content-Length answer (what every aegis metering endpoint sends), nothing more.
import { connect } from "node:net";
import { setImmediate } from "node:timers";

const HEADER_END = Buffer.from("\r\n\r\n");

// One keep-alive connection with at most one request in flight.
function connection(host, port, onIdle) {
  const socket = connect({ host, port, noDelay: true });
  let buf = Buffer.alloc(0);
  let current;
  const conn = {
    busy: false,
    dead: false,
    send(bytes, done) {
      conn.busy = true;
      current = done;
      socket.write(bytes);
    },
    close: () => socket.destroy(),
  };
  const fail = (error) => {
    conn.dead = true;
    const done = current;
    current = undefined;
    done?.(error);
  };
  socket.on("error", fail);
  socket.on("close", () => fail(new Error("connection closed")));
  socket.on("data", (chunk) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    const end = buf.indexOf(HEADER_END);
    if (end === -1) return;
    const head = buf.toString("latin1", 0, end);
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!m) return fail(new Error(`answer without Content-Length: ${head.split("\r\n")[0]}`));
    const total = end + 4 + Number(m[1]);
    if (buf.length < total) return;
    buf = buf.subarray(total);
    const done = current;
    current = undefined;
    conn.busy = false;
    done?.(undefined, status);
    onIdle(conn);
  });
  return conn;
}

/**
 * Open loop at a fixed `rate` for `seconds` after `warmupSeconds` (sent at the same rate, not
 * recorded), POSTing `body(i)` to `url`. Latency runs from each request's scheduled send time, so
 * a stall in the server is charged in full (no coordinated omission). A request waits for a free
 * connection when all are busy; up to `maxConnections` are opened. Resolves to
 * { latencies, ok, errors, lastError, achieved_rps, rate, seconds, connections }.
 */
export async function rawOpenLoop({ url, headers = {}, body, rate, seconds, warmupSeconds = 1, maxConnections = 256, graceSeconds = 2 }) {
  const u = new URL(url);
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
  const request = (i) => {
    const b = Buffer.from(body(i));
    return Buffer.concat([Buffer.from(`POST ${u.pathname}${u.search} HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: application/json\r\ncontent-length: ${b.length}\r\n${extra}\r\n`, "latin1"), b]);
  };
  const idle = [];
  const all = [];
  const waiting = [];
  const latencies = [];
  let ok = 0;
  let errors = 0;
  let lastError;
  let settled = 0;
  const warm = Math.round(rate * warmupSeconds);
  const total = warm + Math.round(rate * seconds);
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const dispatch = (conn, job) => {
    conn.send(job.bytes, (error, status) => {
      settled++;
      if (job.i >= warm) {
        if (error) {
          errors++;
          lastError = String(error.message ?? error);
        } else if (status >= 200 && status < 300) {
          ok++;
          latencies.push(performance.now() - job.scheduled);
        } else {
          errors++;
          lastError = `HTTP ${status}`;
        }
      }
      if (settled === total) finish();
    });
  };
  const onIdle = (conn) => {
    const job = waiting.shift();
    if (job) dispatch(conn, job);
    else idle.push(conn);
  };
  const take = () => {
    while (idle.length > 0) {
      const conn = idle.pop();
      if (!conn.dead && !conn.busy) return conn;
    }
    if (all.length < maxConnections) {
      const conn = connection(u.hostname, Number(u.port), onIdle);
      all.push(conn);
      return conn;
    }
    return undefined;
  };
  const start = performance.now();
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      for (; sent < due; sent++) {
        const job = { i: sent, scheduled: start + (sent / rate) * 1000, bytes: request(sent) };
        const conn = take();
        if (conn) dispatch(conn, job);
        else waiting.push(job);
      }
      if (sent >= total) resolve();
      else setImmediate(tick);
    };
    tick();
  });
  const deadline = setTimeout(() => finish(), Math.max(0, start + (warmupSeconds + seconds + graceSeconds) * 1000 - performance.now()));
  await finished;
  clearTimeout(deadline);
  const timedOut = total - settled;
  const wall = (performance.now() - start) / 1000 - warmupSeconds;
  for (const conn of all) conn.close();
  return { latencies, ok, errors: errors + timedOut, timed_out: timedOut, lastError, rate, seconds, achieved_rps: ok / wall, connections: all.length };
}
