// Bundles the CLI that bin/aegis.js runs into dist/bundle/ (run after tsc; part of `npm run build`).
//
// Why: Node's ES module loader costs every module it loads a source string, a module record and a
// resolution, and `aegis run` loads ~230 of them (zod alone is 95, 62 of them locales the classic
// entry re-exports). One bundle with code splitting keeps the CLI's lazy `import()`s lazy (each
// becomes its own chunk) while tree-shaking the rest. Measured on the 2 vCPU VM: idle RSS of
// `aegis run` 68 → 62 MB, `aegis run -- true` 204 → 152 ms (performance.md X1, C1–C3).
// The library entry points (dist/index.js, dist/client, dist/integrations) stay unbundled.
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath, URL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}package.json`, "utf8"));

// dist/version.js reads ../package.json relative to itself, which from dist/bundle/ is the wrong
// file: the bundle gets the version of the package.json it is built from instead.
const inlineVersion = {
  name: "inline-version",
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]version\.js$/ }, () => ({ contents: `export const VERSION = ${JSON.stringify(version)};`, loader: "js" }));
  },
};

// Chunk names carry content hashes: clear the previous build's chunks so only this build's remain.
rmSync(`${root}dist/bundle`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: {
    main: "dist/cli/main.js",
    version: "dist/version.js",
    "heap-growth": "dist/run/heap-growth.js",
    // read-ledgers starts it as new URL("./scan-worker.js", import.meta.url): it must sit beside the chunks.
    "scan-worker": "dist/report/scan-worker.js",
  },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Native (better-sqlite3) or loaded only for a redis:// store (ioredis): resolved from node_modules.
  external: ["better-sqlite3", "ioredis"],
  // CommonJS dependencies (cli-table3, commander's helpers) call require() for Node built-ins.
  banner: { js: 'import { createRequire as __aegisCreateRequire } from "node:module"; const require = __aegisCreateRequire(import.meta.url);' },
  // Whitespace and syntax only: names stay, so a stack trace of a real bug still reads; the source
  // map (from tsc's maps) leads back to src/ under `node --enable-source-maps`. Saves ~1 MB RSS.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  plugins: [inlineVersion],
  logLevel: "warning",
});
