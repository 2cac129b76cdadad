// End-to-end: `aegis pricing list` from the built binary (`npm run build` first).
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { BIN } from "../helpers/run-aegis.js";

interface Row {
  id: string;
  provider: string;
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  output: number;
  longContext: { aboveTokens: number; input: number; cacheRead: number; output: number } | null;
  webSearchPer1k: number | null;
  origin: string;
}

const dir = realpathSync(mkdtempSync(join(tmpdir(), "aegis-e2e-pricing-")));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function aegis(args: string[]) {
  return execa(process.execPath, [BIN, "pricing", "list", ...args], { cwd: dir, reject: false, env: { NO_COLOR: "1" } });
}

describe("aegis pricing list (built binary)", () => {
  it("--json prints the table in force with the reference prices", async () => {
    const r = await aegis(["--json"]);
    expect(r.exitCode).toBe(0);
    const rows = JSON.parse(r.stdout) as Row[];
    expect(rows.length).toBeGreaterThanOrEqual(30);
    const by = new Map(rows.map((row) => [row.id, row]));
    expect(by.get("gpt-4o")).toMatchObject({ provider: "openai", input: 2.5, cacheRead: 1.25, output: 10 });
    expect(by.get("gpt-4o-mini")).toMatchObject({ input: 0.15, cacheRead: 0.075, output: 0.6 });
    expect(by.get("claude-sonnet-4")).toMatchObject({ provider: "anthropic", input: 3, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6, output: 15 });
    expect(by.get("claude-haiku-3.5")).toMatchObject({ input: 0.8, cacheRead: 0.08, output: 4 });
    expect(by.get("gemini-2.5-pro")).toMatchObject({ input: 1.25, output: 10, longContext: { aboveTokens: 200_000, input: 2.5, output: 15 } });
    expect(by.get("o3")).toMatchObject({ input: 2, cacheRead: 0.5, output: 8 });
    expect([by.get("claude-sonnet-4")?.webSearchPer1k, by.get("gpt-4o")?.webSearchPer1k]).toEqual([10, null]);
    for (const id of ["gpt-4.1", "o1", "o4-mini", "claude-opus-4", "gemini-2.0-flash", "gemini-2.5-flash", "gpt-4-turbo"]) expect(by.has(id), id).toBe(true);
  });

  it("--provider filters, and an unknown provider is a usage error (exit 2)", async () => {
    const ok = await aegis(["--json", "--provider", "gemini"]);
    expect(new Set((JSON.parse(ok.stdout) as Row[]).map((row) => row.provider))).toEqual(new Set(["gemini"]));
    const bad = await aegis(["--provider", "azure"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--provider must be one of openai, anthropic, gemini, other/);
    expect(bad.stdout).toBe("");
  });

  it("prints a plain table when piped and applies the config's pricing: entries", async () => {
    writeFileSync(join(dir, "aegis.yaml"), "pricing:\n  my-fine-tuned-model: { input: 5.0, output: 15.0, cached: 2.5 }\n  my-searcher: { input: 1, output: 2, web_search_per_1k: 25 }\n");
    const r = await aegis([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^model\s+provider\s+input/);
    expect(r.stdout).toMatch(/^my-fine-tuned-model \(config\)\s+other\s+\$5\.00\s+\$2\.50\s+—\s+\$15\.00/m);
    expect(r.stdout).toMatch(/^gpt-4o\s+openai\s+\$2\.50\s+\$1\.25/m);
    expect(r.stdout).toMatch(/^my-searcher \(config\)\s+other\s+\$1\.00\s+—\s+—\s+\$2\.00\s+\S+\s+\$25\.00$/m);
    expect(r.stdout).toMatch(/^my-fine-tuned-model \(config\).*\$15\.00\s+\S+$/m);
    const bad = await aegis(["--config", "missing.yaml"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/missing\.yaml not found/);
  });
});
