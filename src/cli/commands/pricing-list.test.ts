import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Chalk } from "chalk";
import { memoryOutput } from "../output.js";
import { UsageError } from "../../errors.js";
import type { ModelPrice } from "../../core/pricing/types.js";
import { loadPricingOverrides, pricingListCommand, type LoadPricingOverrides } from "./pricing-list.js";
import { formatRate, type PriceRowJson } from "../render/pricing-table.js";

const none = async (): Promise<ModelPrice[]> => [];

async function listJson(opts: Record<string, unknown>, load: LoadPricingOverrides = none, cwd?: string): Promise<PriceRowJson[]> {
  const out = memoryOutput();
  expect(await pricingListCommand({ ...opts, json: true }, out, load, cwd)).toBe(0);
  return JSON.parse(out.stdout) as PriceRowJson[];
}

describe("aegis pricing list --json", () => {
  it("lists at least 30 models with numeric, effective rates, sorted by provider then id", async () => {
    const rows = await listJson({});
    expect(rows.length).toBeGreaterThanOrEqual(30);
    const keys = rows.map((r) => `${r.provider} ${r.id}`);
    expect(keys).toEqual([...keys].sort((a, b) => a.localeCompare(b, "en", { numeric: true })));
    const gpt4o = rows.find((r) => r.id === "gpt-4o");
    expect(gpt4o).toMatchObject({ provider: "openai", input: 2.5, cacheRead: 1.25, cacheWrite5m: 2.5, cacheWrite1h: 2.5, output: 10, longContext: null, origin: "builtin" });
    expect(rows.find((r) => r.id === "gemini-2.5-pro")?.longContext).toEqual({ aboveTokens: 200_000, input: 2.5, cacheRead: 0.25, cacheWrite5m: 2.5, cacheWrite1h: 2.5, output: 15 });
    expect(rows.find((r) => r.id === "claude-haiku-3.5")?.aliases).toContain("claude-3-5-haiku-20241022");
    for (const r of rows) for (const k of ["input", "cacheRead", "cacheWrite5m", "cacheWrite1h", "output"] as const) expect(typeof r[k]).toBe("number");
  });

  it.each(["openai", "anthropic", "gemini", "other", "Anthropic"])("--provider %s keeps only that provider", async (provider) => {
    const rows = await listJson({ provider });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.provider))).toEqual(new Set([provider.toLowerCase()]));
  });

  it("rejects an unknown provider with a usage error naming the allowed values", async () => {
    const run = pricingListCommand({ provider: "azure" }, memoryOutput(), none);
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(pricingListCommand({ provider: "azure" }, memoryOutput(), none)).rejects.toThrow(/openai, anthropic, gemini, other; received "azure"/);
  });

  it("applies overrides: replacing a built-in and adding a model", async () => {
    const load = async (): Promise<ModelPrice[]> => [
      { id: "gpt-4o", provider: "openai", input: 2, output: 8, source: "aegis.yaml", checked: "config", origin: "config" },
      { id: "my-fine-tuned-model", provider: "other", input: 5, output: 15, cacheRead: 2.5, source: "aegis.yaml", checked: "config", origin: "config" },
    ];
    const rows = await listJson({}, load);
    expect(rows.find((r) => r.id === "gpt-4o")).toMatchObject({ input: 2, cacheRead: 2, output: 8, origin: "config" });
    expect(rows.find((r) => r.id === "my-fine-tuned-model")).toMatchObject({ input: 5, cacheRead: 2.5, output: 15, origin: "config" });
    expect(rows.filter((r) => r.id === "gpt-4o")).toHaveLength(1);
  });

  it("gives each row its web-search rate (USD per 1,000), null where the model has none", async () => {
    const load = async (): Promise<ModelPrice[]> => [
      { id: "my-searcher", provider: "other", input: 1, output: 2, webSearchPer1k: 25, source: "aegis.yaml", checked: "config", origin: "config" },
      { id: "my-router-model", provider: "other", input: 1, output: 2, source: "aegis.yaml", checked: "config", origin: "config" },
    ];
    const rows = await listJson({}, load);
    expect(rows.find((r) => r.id === "my-searcher")?.webSearchPer1k).toBe(25);
    expect(rows.find((r) => r.id === "my-router-model")?.webSearchPer1k).toBeNull();
    expect(rows.find((r) => r.id === "claude-sonnet-4")?.webSearchPer1k).toBe(10);
    expect(rows.find((r) => r.id === "gpt-4o")?.webSearchPer1k).toBeNull();
    const out = memoryOutput();
    await pricingListCommand({ provider: "other" }, out, load);
    expect(out.stdout).toMatch(/^my-searcher \(config\)\s+other\s+\$1\.00\s+—\s+—\s+\$2\.00\s+config\s+\$25\.00$/m);
    expect(out.stdout).toMatch(/^my-router-model \(config\)\s+other\s+\$1\.00\s+—\s+—\s+\$2\.00\s+config$/m);
  });
});

describe("aegis pricing list (table)", () => {
  it("renders a plain, borderless table when piped, with every column", async () => {
    const out = memoryOutput();
    expect(await pricingListCommand({}, out, none)).toBe(0);
    const lines = out.stdout.trimEnd().split("\n");
    // The web-search column comes last, so the columns before it keep their places (piped output is parsed).
    expect(lines[0]).toMatch(/^model\s+provider\s+input\s+cached input\s+cache write 5m \/ 1h\s+output\s+long context.*checked\s+web search \/ 1k$/);
    expect(out.stdout).not.toMatch(/[│┌─]/);
    expect(out.stdout).not.toContain("\u001b[");
    expect(out.stdout).toMatch(/^gpt-4o\s+openai\s+\$2\.50\s+\$1\.25\s+—\s+\$10\.00\s+2026-\d\d-\d\d$/m);
    expect(out.stdout).toMatch(/^claude-sonnet-4\s+anthropic\s+\$3\.00\s+\$0\.30\s+\$3\.75 \/ \$6\.00\s+\$15\.00\s+>200k: in \$6\.00, out \$22\.50\s+2026-\d\d-\d\d\s+\$10\.00$/m);
    expect(lines.length - 1).toBeGreaterThanOrEqual(30);
    expect(out.stderr).toMatch(/\d+ models · USD per 1M tokens · built-in prices as of \d{4}-\d\d-\d\d/);
    expect(out.stderr).toContain("web search: USD per 1,000 searches (blank: none, such searches are refused)");
  });

  it("draws a box on a wide terminal and a compact table on a narrow one", async () => {
    const wide = memoryOutput(200);
    await pricingListCommand({ provider: "gemini" }, wide, none);
    expect(wide.stdout).toContain("┌");
    expect(wide.stdout).toContain("cache write 5m / 1h");
    const narrow = memoryOutput(80);
    await pricingListCommand({ provider: "gemini" }, narrow, none);
    expect(narrow.stdout).not.toContain("cache write");
    expect(narrow.stdout).toMatch(/│ gemini-2\.5-pro\s+│ \$1\.25\s+│ \$0\.125\s+│ \$10\.00\s+│ >200k\s+│/);
    for (const line of narrow.stdout.trimEnd().split("\n")) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("colours only when the output's chalk has colour", async () => {
    const out = { ...memoryOutput(200), color: new Chalk({ level: 1 }) };
    let text = "";
    out.data = (t: string) => void (text += t);
    await pricingListCommand({ provider: "openai" }, out, none);
    expect(text).toContain("\u001b[1m");
  });

  it("formats rates without float noise", () => {
    expect([formatRate(2.5), formatRate(0.075), formatRate(10), formatRate(0.0028), formatRate(0.1 + 0.2)]).toEqual(["$2.50", "$0.075", "$10.00", "$0.0028", "$0.30"]);
  });
});

describe("config overrides (loadPricingOverrides)", () => {
  const dir = mkdtempSync(join(tmpdir(), "aegis-pricing-"));
  const yaml = "pricing:\n  my-fine-tuned-model: { input: 5.0, output: 15.0, cached: 2.5 }\n  gpt-4o: { input: 2.0, output: 8.0 }\n";
  writeFileSync(join(dir, "aegis.yaml"), yaml);
  mkdirSync(join(dir, "sub", "deeper"), { recursive: true });
  const empty = mkdtempSync(join(tmpdir(), "aegis-pricing-none-"));

  it("reads --config", async () => {
    const rows = await listJson({ config: join(dir, "aegis.yaml") }, loadPricingOverrides, empty);
    expect(rows.find((r) => r.id === "my-fine-tuned-model")).toMatchObject({ input: 5, cacheRead: 2.5, output: 15, origin: "config" });
    expect(rows.find((r) => r.id === "gpt-4o")).toMatchObject({ input: 2, output: 8, origin: "config" });
  });

  it("discovers aegis.yaml in a parent directory", async () => {
    const rows = await listJson({}, loadPricingOverrides, join(dir, "sub", "deeper"));
    expect(rows.some((r) => r.id === "my-fine-tuned-model")).toBe(true);
  });

  it("uses the built-in table alone when there is no config", async () => {
    expect(await loadPricingOverrides(undefined, empty)).toEqual([]);
  });

  it("fails with the config's problems when the file is invalid or missing", async () => {
    const bad = join(empty, "bad.yaml");
    writeFileSync(bad, "pricing:\n  x: { input: -1, output: 2 }\n");
    await expect(loadPricingOverrides(bad, empty)).rejects.toThrow(/invalid config bad\.yaml/);
    await expect(loadPricingOverrides(join(empty, "missing.yaml"), empty)).rejects.toThrow(/not found/);
  });
});
