// The in-process integrations end to end: the README examples run as written (local tracker, the
// SDKs' base-URL variables pointed at the fake upstream), and an agent using three integrations
// with sub-agents, run under the built `aegis run`, lands in the session ledger with its attribution.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlm, type FakeLlm } from "../helpers/fake-llm-server.js";
import { AGENTS, REPO, runAegis, scratch } from "../helpers/run-aegis.js";

const run = promisify(execFile);
const EXAMPLES = join(REPO, "examples", "integrations");

let fake: FakeLlm;
beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(async () => {
  await fake.close();
});

// A clean environment: no AEGIS_* (local mode), SDK base URLs and keys aimed at the fake.
const sdkEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  OPENAI_BASE_URL: `${fake.url}/v1`,
  OPENAI_API_KEY: "test",
  ANTHROPIC_BASE_URL: fake.url,
  ANTHROPIC_API_KEY: "test",
  GOOGLE_GEMINI_BASE_URL: fake.url,
  GEMINI_API_KEY: "test",
});

const EXPECTED: Record<string, string> = {
  "openai.mjs": "chat: $0.006 (allow)\nstream: $0.006\n",
  "anthropic.mjs": "message: $0.00675\nstream: $0.00675\n",
  "google.mjs": "gemini-2.5-flash-001: $0.00074\nstream: $0.00074\n",
  "langchain.mjs": 'spent $0.012 in 2 calls; by agent {"orchestrator":0.006,"researcher":0.006}\n',
  "ai-sdk.mjs": 'title: Hello from the fake.\nby agent {"critic":0.006,"lead":0.006}\n',
};

describe("README examples of the in-process integrations", () => {
  it("has an expectation for every example file", () => {
    expect(readdirSync(EXAMPLES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("the README's In-process integrations section includes every example verbatim", () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## In-process integrations"));
    for (const file of Object.keys(EXPECTED)) expect(section).toContain("```js\n" + readFileSync(join(EXAMPLES, file), "utf8") + "```");
  });

  for (const [file, stdout] of Object.entries(EXPECTED)) {
    it(`runs examples/integrations/${file}`, async () => {
      const before = fake.total();
      const result = await run(process.execPath, [join(EXAMPLES, file)], { env: sdkEnv(), cwd: REPO });
      expect(result.stdout).toBe(stdout);
      expect(fake.total()).toBeGreaterThan(before);
    });
  }
});

describe("integrations under aegis run", () => {
  it("record through the metering API: the session ledger holds each call with its sub-agent", async () => {
    const { dir, cleanup } = scratch();
    try {
      const result = await runAegis({
        dir,
        config: "agents:\n  orchestrator: { budget_usd: 10 }\n  researcher: { parent: orchestrator, budget_usd: 2 }\n  writer: { parent: orchestrator, budget_usd: 2 }\n",
        agent: [process.execPath, join(AGENTS, "integrations-agent.mjs")],
        env: { UPSTREAM_URL: fake.url },
      });
      expect(result.stderr).not.toMatch(/Error/);
      expect(result.code).toBe(0);
      const out = JSON.parse(result.stdout.split("\n").find((l) => l.startsWith("{")) ?? "{}") as { mode: string; spent: number; by_agent: Record<string, number> };
      expect(out).toEqual({ mode: "remote", spent: 0.014635, by_agent: { orchestrator: 0.006, researcher: 0.004125, writer: 0.00451 } });
      const decisions = result.ledger.filter((l) => l.type === "decision");
      expect(decisions.map((d) => [d.agent, d.source, d.action, d.cost_usd])).toEqual([
        ["orchestrator", "client", "allow", 0.006],
        ["researcher", "client", "allow", 0.004125],
        ["writer", "client", "allow", 0.00451],
      ]);
      expect(decisions[1]?.tokens).toMatchObject({ input: 300, cache_read: 1500, cache_write_5m: 200, output: 100 });
      expect(decisions[2]?.tokens).toMatchObject({ input: 500, output: 900, reasoning: 700 });
      expect(result.stderr).toMatch(/orchestrator\s+\$\s+0\.0060\s+\$\s+0\.0086\s+\$\s+0\.0146\s+1/);
    } finally {
      cleanup();
    }
  });
});
