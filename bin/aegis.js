#!/usr/bin/env node
// Launcher: enable the compile cache where Node offers it, then hand over to the built CLI (the
// bundle of scripts/bundle-cli.mjs).
// `aegis --version` alone is answered here, without loading commander and the CLI (start-up time
// is a benchmarked goal: performance.md C1); it prints exactly what the full CLI prints.
import module from "node:module";
module.enableCompileCache?.();
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const { VERSION } = await import("../dist/bundle/version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  // `aegis run` keeps V8's young generation at its size until the agent runs (idle memory: see
  // src/run/heap-growth.ts); set first, before the CLI's modules are loaded.
  if (args[0] === "run") (await import("../dist/bundle/heap-growth.js")).holdYoungGeneration();
  const { main } = await import("../dist/bundle/main.js");
  process.exitCode = await main(process.argv);
}
