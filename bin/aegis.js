#!/usr/bin/env node
// Launcher: enable the compile cache where Node offers it, then hand over to the built CLI.
import module from "node:module";
module.enableCompileCache?.();
const { main } = await import("../dist/cli/main.js");
process.exitCode = await main(process.argv);
