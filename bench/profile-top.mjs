#!/usr/bin/env node
// Summarises a V8 CPU profile (from `node bench/run.mjs --cpu-prof`, which profiles the aegis
// process): the top functions by self time and the files by total self time.
//   node bench/profile-top.mjs bench/results/prof/CPU.….cpuprofile [--top 25] [--total dist/]
// --total PREFIX also lists inclusive time (self + callees) of functions in files under PREFIX.
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);
const file = argv[0];
if (!file) throw new Error("usage: profile-top.mjs <file.cpuprofile> [--top N] [--total PREFIX]");
const opt = (name) => (argv.indexOf(name) === -1 ? undefined : argv[argv.indexOf(name) + 1]);
const top = Number(opt("--top") ?? 25);
const totalPrefix = opt("--total");
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

if (totalPrefix !== undefined) {
  // Inclusive time: each node's self time counted once for every distinct matching frame above it.
  const parent = new Map();
  for (const node of prof.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const inclusive = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const { functionName, url, lineNumber } = byId.get(cur).callFrame;
      const short = url.replace(/^file:\/\/.*?\/(node_modules|dist|src)\//, "$1/");
      if (!short.startsWith(totalPrefix)) continue;
      const key = `${functionName || "(anonymous)"}  ${short}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  show(`inclusive time of functions under ${totalPrefix}`, inclusive);
}
