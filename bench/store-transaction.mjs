#!/usr/bin/env node
// The per-call SQLite transaction of a proxied call (settle the call, reserve the next call's
// standby) on the store's two layouts, in the same run: schema 1 (five rowid spend tables, rowid
// reservations and settled ids) and schema 2 (src/store/sqlite-schema.ts: one WITHOUT ROWID spend
// table keyed by the budget key). Prints CPU per transaction, WAL pages per transaction (from the
// automatic checkpoints, one per 1,000 pages) and the share of time spent in transactions that took
// over 1 ms (the checkpoints, which run on the committing thread).
//   node bench/store-transaction.mjs [transactions=40000] [rounds=2]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";

const N = Number(process.argv[2] ?? 40_000);
const ROUNDS = Number(process.argv[3] ?? 2);
const KEYS = [["total", "total"], ["daily", "2026-12-07"], ["agent", "main"], ["model", "gpt-4o"]];
const spendCols = "spent_nanos INTEGER NOT NULL DEFAULT 0, reserved_nanos INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER NOT NULL DEFAULT 0";
const upsert = "spent_nanos = spent_nanos + excluded.spent_nanos, reserved_nanos = reserved_nanos + excluded.reserved_nanos, updated_ms = MAX(updated_ms, excluded.updated_ms)";

const LAYOUTS = {
  "schema 1": (db) => {
    const add = {};
    const row = {};
    for (const [kind] of KEYS) {
      db.exec(`CREATE TABLE spend_${kind} (name TEXT PRIMARY KEY, ${spendCols}) STRICT`);
      add[kind] = db.prepare(`INSERT INTO spend_${kind} (name, spent_nanos, reserved_nanos, updated_ms) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET ${upsert}`);
      row[kind] = db.prepare(`SELECT spent_nanos, reserved_nanos FROM spend_${kind} WHERE name = ?`);
    }
    db.exec(tables(""));
    return { add: (kind, name, ...v) => add[kind].run(name, ...v), row: (kind, name) => row[kind].get(name) };
  },
  "schema 2": (db) => {
    db.exec(`CREATE TABLE spend (key TEXT PRIMARY KEY, ${spendCols}) STRICT, WITHOUT ROWID`);
    db.exec(tables(", WITHOUT ROWID"));
    const add = db.prepare(`INSERT INTO spend (key, spent_nanos, reserved_nanos, updated_ms) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET ${upsert}`);
    const row = db.prepare("SELECT spent_nanos, reserved_nanos FROM spend WHERE key = ?");
    return { add: (kind, name, ...v) => add.run(`${kind}:${name}`, ...v), row: (kind, name) => row.get(`${kind}:${name}`) };
  },
};

function tables(options) {
  return `CREATE TABLE reservations (id TEXT PRIMARY KEY, amount_nanos INTEGER NOT NULL, keys_json TEXT NOT NULL, created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL) STRICT${options};
CREATE INDEX reservations_expiry ON reservations (expires_ms);
CREATE TABLE settled_ids (id TEXT PRIMARY KEY, settled_ms INTEGER NOT NULL) STRICT${options};
CREATE INDEX settled_ids_age ON settled_ids (settled_ms);`;
}

// Runs the transaction N times on a fresh file of one layout (removed afterwards).
function measure(name) {
  const dir = mkdtempSync(join(tmpdir(), "aegis-store-tx-"));
  try {
    return measureIn(name, join(dir, "budget.db"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measureIn(name, file) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("cache_size = -2000");
  const spend = LAYOUTS[name](db);
  const insert = db.prepare("INSERT OR IGNORE INTO reservations VALUES (?, ?, ?, ?, ?)");
  const byId = db.prepare("SELECT amount_nanos, keys_json FROM reservations WHERE id = ?");
  const drop = db.prepare("DELETE FROM reservations WHERE id = ?");
  const expired = db.prepare("SELECT id FROM reservations WHERE expires_ms <= ?");
  const mark = db.prepare("INSERT OR IGNORE INTO settled_ids VALUES (?, ?)");
  const forget = db.prepare("DELETE FROM settled_ids WHERE settled_ms <= ?");
  const keysJson = JSON.stringify(KEYS.map(([k, n]) => `${k}:${n}`));
  let now = Date.now();
  let open = randomUUID();
  insert.run(open, 1000, keysJson, now, now + 300_000);
  // One proxied call: purge, settle the open reservation (id remembered, reservation dropped, spend
  // added), then reserve the next call's standby on the same keys.
  const call = db.transaction((next) => {
    expired.all(now);
    forget.run(now - 86_400_000);
    mark.run(open, now);
    byId.get(open);
    drop.run(open);
    for (const [kind, n] of KEYS) {
      spend.row(kind, n);
      spend.add(kind, n, 900, -1000, now);
    }
    insert.run(next, 1000, keysJson, now, now + 300_000);
    for (const [kind, n] of KEYS) spend.add(kind, n, 0, 1000, now);
    open = next;
  });
  for (let i = 0; i < 2000; i++, now++) call.immediate(randomUUID());
  const ids = Array.from({ length: N }, () => randomUUID());
  const times = new Float64Array(N);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    now++;
    const t = performance.now();
    call.immediate(ids[i]);
    times[i] = performance.now() - t;
  }
  const cpu = process.cpuUsage(cpu0);
  db.close();
  const total = times.reduce((a, b) => a + b, 0);
  const slow = times.filter((t) => t > 1);
  // Each automatic checkpoint (every 1,000 WAL pages) makes its transaction take milliseconds;
  // nothing else in this loop does.
  const checkpoints = slow.length;
  return {
    layout: name,
    cpu_us: +((cpu.user + cpu.system) / N).toFixed(1),
    wal_pages: +((checkpoints * 1000) / N).toFixed(1),
    checkpoints,
    slow_share: `${((slow.reduce((a, b) => a + b, 0) / total) * 100).toFixed(0)} %`,
  };
}

for (let r = 1; r <= ROUNDS; r++) {
  for (const name of Object.keys(LAYOUTS)) {
    const m = measure(name);
    console.log(`round ${r} ${m.layout}: ${m.cpu_us} µs CPU a transaction, ~${m.wal_pages} WAL pages, ${m.checkpoints} checkpoints in ${N}, ${m.slow_share} of the time in them`);
  }
}
