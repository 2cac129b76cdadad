#!/usr/bin/env node
// Does a value deleted from a churned Map stay alive to V8's young-generation collector? The shape
// of the per-call maps on the proxy's hot path (a reservation id → what the call needs at its
// settlement): 64 entries live at a time, each added, then deleted 64 additions later, each value
// holding ~8 KB of young objects. The same values in array slots (set, then cleared) are the
// baseline. Each arm runs in a child with --trace-gc-nvp; the figures are per scavenge after a
// 0.5 s warm-up. On Node 20 the Map arm copied 13-15 MB a scavenge and ran 59 full GCs in 2.5 s,
// the slots arm 0.3-0.5 MB and 0-2 (why src/run/meter.ts keeps a call's labels, not the call).
//   node bench/map-churn.mjs [seconds=3]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SECONDS = Number(process.argv[2] ?? 3);
const LIVE = 64;

// The child: churns `mode` ("map" or "slots") for `seconds`, allocating short-lived garbage between.
function churn(mode, seconds) {
  const map = new Map();
  const slots = new Array(LIVE * 2).fill(undefined);
  const ids = [];
  const payload = () => {
    const a = [];
    for (let i = 0; i < 64; i++) a.push({ i, s: `x${i}` });
    return { a };
  };
  let n = 0;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const id = ++n;
    const value = { call: payload() };
    if (mode === "map") map.set(`r${id}`, value);
    else slots[id % slots.length] = value;
    ids.push(id);
    if (ids.length > LIVE) {
      const old = ids.shift();
      if (mode === "map") map.delete(`r${old}`);
      else slots[old % slots.length] = undefined;
    }
    for (let j = 0; j < 20; j++) void { j, t: [j, j] };
  }
  process.stderr.write(`${n}\n`);
}

// Sums the child's --trace-gc-nvp lines after `fromMs`.
function summarise(trace, fromMs) {
  let scavenges = 0, pauseMs = 0, copied = 0, promoted = 0, fullGcs = 0, first, last;
  for (const line of trace.split("\n")) {
    const at = Number(/^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms:/.exec(line)?.[1]);
    if (!(at >= fromMs)) continue;
    const field = (name) => Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);
    if (/\bgc=s\b/.test(line)) {
      scavenges++;
      pauseMs += field("pause");
      copied += field("new_space_survived") + field("promoted");
      promoted += field("promoted");
      first ??= at;
      last = at;
    } else if (/\bgc=(mc|mmc)\b/.test(line)) fullGcs++;
  }
  return { scavenges, fullGcs, gcShare: last > first ? pauseMs / (last - first) : 0, copiedMbPerScavenge: copied / scavenges / 1e6, promotedMbPerScavenge: promoted / scavenges / 1e6 };
}

if (process.argv[2] === "--child") churn(process.argv[3], Number(process.argv[4]));
else {
  const self = fileURLToPath(import.meta.url);
  const rows = [];
  for (const mode of ["slots", "map"]) {
    const child = spawnSync(process.execPath, ["--trace-gc-nvp", self, "--child", mode, String(SECONDS)], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`map-churn child (${mode}) failed: ${child.stderr}`);
    rows.push({ mode, ...summarise(child.stdout, 500) });
  }
  console.log("arm    scavenges  full GCs  GC share  copied/scavenge  promoted/scavenge");
  for (const r of rows) {
    console.log(`${r.mode.padEnd(6)} ${String(r.scavenges).padStart(9)}  ${String(r.fullGcs).padStart(8)}  ${(100 * r.gcShare).toFixed(1).padStart(7)}%  ${r.copiedMbPerScavenge.toFixed(2).padStart(12)} MB  ${r.promotedMbPerScavenge.toFixed(2).padStart(14)} MB`);
  }
  const [slots, map] = rows;
  console.log(`map ÷ slots, copied a scavenge: ${(map.copiedMbPerScavenge / slots.copiedMbPerScavenge).toFixed(1)}×`);
}
