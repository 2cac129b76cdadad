#!/usr/bin/env node
// CPU of a proxied call's store work by how many calls share one transaction: the built SQLite
// store (dist/) gets k settles, each with the next call's standby reserve, in one event-loop turn,
// so its group commit puts them in one transaction. What a transaction costs once (BEGIN
// IMMEDIATE, the WAL frames of its pages, the commit, its share of checkpoints) against what each
// call adds to it tells whether a wider group-commit window would pay. At c=16 a proxy batch holds
// ~1.7 calls, at c=64 ~5 (counted on the store's flush).
//   npm run build && node bench/store-batching.mjs [calls=30000] [rounds=2]
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist/store/sqlite-store.js");
if (!existsSync(built)) throw new Error("build first: npm run build");
const { createSqliteStore } = await import(pathToFileURL(built).href);

const N = Number(process.argv[2] ?? 30_000);
const ROUNDS = Number(process.argv[3] ?? 2);
// The keys of a benchmark call: total, today, agent, model and session; three carry limits.
const KEYS = ["total", "daily:2026-12-07", "agent:main", "model:gpt-4o-mini", "session:bench"];
const LINES = KEYS.slice(0, 3).map((key) => ({ key, limit: 9e15 }));
const LEASE_MS = 60_000;

// µs of CPU a call when `k` calls (settle + next standby) share each transaction.
async function measure(k) {
  const dir = mkdtempSync(join(tmpdir(), "aegis-store-batch-"));
  const store = createSqliteStore(join(dir, "budget.db"));
  try {
    let next = 0;
    let now = Date.now();
    const open = [];
    for (let i = 0; i < k; i++) {
      const id = `standby:${next++}`;
      await store.reserve({ id, lines: LINES, amount: 1000, enforce: true, now, leaseMs: LEASE_MS });
      open.push(id);
    }
    const cpu0 = process.cpuUsage();
    for (let done = 0; done < N; done += k) {
      now++;
      const turn = [];
      for (let i = 0; i < k; i++) {
        turn.push(store.settle({ id: open[i], keys: KEYS, amount: 700, now }));
        open[i] = `standby:${next++}`;
        turn.push(store.reserve({ id: open[i], lines: LINES, amount: 1000, enforce: true, now, leaseMs: LEASE_MS }));
      }
      await Promise.all(turn);
    }
    const cpu = process.cpuUsage(cpu0);
    return (cpu.user + cpu.system) / N;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let r = 1; r <= ROUNDS; r++) {
  const figures = [];
  for (const k of [1, 2, 5, 10, 20, 64]) figures.push(`k=${k} ${(await measure(k)).toFixed(1)}`);
  console.log(`round ${r}: µs of CPU a call with k calls a transaction: ${figures.join(", ")}`);
}
