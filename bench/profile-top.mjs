#!/usr/bin/env node
// Summarises a V8 CPU profile (from `node bench/run.mjs --cpu-prof`, which profiles the aegis
// process): the top functions by self time and the files by total self time.
//   node bench/profile-top.mjs bench/results/prof/CPU.….cpuprofile [--top 25]
import { readFileSync } from "node:fs";

const [file, flag, n] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-top.mjs <file.cpuprofile> [--top N]");
const top = flag === "--top" ? Number(n) : 25;
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((node) => [node.id, node]));
const self = new Map();
// Sample intervals are attributed to the node that was on top of the stack.
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byFn = new Map();
const byFile = new Map();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const short = url.replace(/^file:\/\/.*?\/(node_modules|dist|src)\//, "$1/");
  const key = `${functionName || "(anonymous)"}  ${short}:${lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  byFile.set(short || functionName, (byFile.get(short || functionName) ?? 0) + us);
}
const show = (title, map) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}\n`);
  }
};
process.stdout.write(`total sampled ${(total / 1000).toFixed(0)} ms\n`);
show("self time by function", byFn);
show("self time by file", byFile);
