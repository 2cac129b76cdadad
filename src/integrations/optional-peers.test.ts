// Each framework is an optional peer: the core entry (src/index.ts) and the framework-free
// integrations entry must not import LangChain or the AI SDK, even transitively; only their own
// entry points may. Walks the relative-import graph of the sources.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const FRAMEWORKS = /^(@langchain\/|ai$|@ai-sdk\/)/;

// Every runtime import specifier reachable from `entry` (type-only imports are erased at build time).
function packagesReachedFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gms)) {
      const spec = m[1] ?? "";
      if (spec.startsWith(".")) visit(join(dirname(file), spec.replace(/\.js$/, ".ts")));
      else packages.add(spec);
    }
  };
  visit(join(SRC, entry));
  return packages;
}

describe("optional peer dependencies", () => {
  it.each(["index.ts", "integrations/index.ts", "integrations/openai.ts", "integrations/anthropic.ts", "integrations/google.ts"])("%s loads no framework", (entry) => {
    expect([...packagesReachedFrom(entry)].filter((p) => FRAMEWORKS.test(p))).toEqual([]);
  });

  it("the LangChain entry is the one that loads @langchain/core", () => {
    expect(packagesReachedFrom("integrations/langchain.ts")).toContain("@langchain/core/callbacks/base");
  });
});
