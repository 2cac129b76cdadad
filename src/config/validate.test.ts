import { describe, expect, it } from "vitest";
import { validateConfigText } from "./validate.js";
import { formatProblem } from "./problem.js";

// Formatted problems of a config text, one line each.
function lines(text: string): string[] {
  return validateConfigText(text, "aegis.yaml").problems.map((p) => formatProblem(p, "aegis.yaml"));
}

function only(text: string) {
  const { problems, config } = validateConfigText(text, "aegis.yaml");
  expect(config).toBeUndefined();
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

describe("validateConfigText: defaults", () => {
  it("gives every default for an empty file", () => {
    expect(validateConfigText("", "aegis.yaml")).toEqual({
      problems: [],
      config: {
        cost: {
          daily_reset_timezone: "UTC",
          alert_threshold: 0.8,
          on_exceed: "block",
          loop_detection: { window_seconds: 60, threshold: 5 },
        },
        agents: {},
        pricing: {},
        proxy: {},
        ledger: { dir: ".aegis/sessions" },
        run: { kill_on: "fatal", kill_grace_seconds: 5 },
        store: { url: ".aegis/budget.db", fail_open: false, lease_seconds: 300 },
      },
    });
  });

  it("fills defaults inside partly written sections", () => {
    const { config } = validateConfigText("cost: { budget_usd: 10, loop_detection: { threshold: 3 } }\nstore: { fail_open: true }\n", "f");
    expect(config?.cost).toEqual({
      budget_usd: 10,
      daily_reset_timezone: "UTC",
      alert_threshold: 0.8,
      on_exceed: "block",
      loop_detection: { window_seconds: 60, threshold: 3 },
    });
    expect(config?.store).toEqual({ url: ".aegis/budget.db", fail_open: true, lease_seconds: 300 });
  });

  it("accepts a comment-only file", () => {
    expect(validateConfigText("# nothing yet\n", "f").config?.cost.on_exceed).toBe("block");
  });

  it("expands the store string shorthand", () => {
    expect(validateConfigText("store: redis://localhost:6379/0\n", "f").config?.store).toEqual({
      url: "redis://localhost:6379/0",
      fail_open: false,
      lease_seconds: 300,
    });
    expect(validateConfigText("store: budgets/shared.db\n", "f").config?.store.url).toBe("budgets/shared.db");
  });

  it("accepts loop_detection: false and an empty agent entry", () => {
    const { config, problems } = validateConfigText("cost: { loop_detection: false }\nagents:\n  root:\n  kid: { parent: root }\n", "f");
    expect(problems).toEqual([]);
    expect(config?.cost.loop_detection).toBe(false);
    expect(config?.agents).toEqual({ root: {}, kid: { parent: "root" } });
  });
});

describe("validateConfigText: types and ranges", () => {
  it.each([
    ["cost: { budget_usd: -5 }", "aegis.yaml:1:21 cost.budget_usd: expected a number greater than 0, received -5"],
    ["cost: { budget_usd: 0 }", "aegis.yaml:1:21 cost.budget_usd: expected a number greater than 0, received 0"],
    ['cost: { budget_usd: "abc" }', 'aegis.yaml:1:21 cost.budget_usd: expected a number greater than 0, received the string "abc"'],
    ['cost: { budget_usd: "100" }', 'aegis.yaml:1:21 cost.budget_usd: expected a number greater than 0, received the string "100"'],
    ["cost: { budget_usd: true }", "aegis.yaml:1:21 cost.budget_usd: expected a number greater than 0, received true"],
    ["cost: { budget_usd: [1] }", "aegis.yaml:1:21 cost.budget_usd: expected a number greater than 0, received a list of 1 item"],
    ["cost:\n  budget_usd:\n", "aegis.yaml:2:3 cost.budget_usd: expected a number greater than 0, received an empty value"],
    ["cost: { budget_usd: 1e12 }", "aegis.yaml:1:21 cost.budget_usd: expected a number at most 9000000 (larger amounts cannot be counted exactly), received 1000000000000"],
    ["cost: { per_call_limit_usd: -1 }", "aegis.yaml:1:29 cost.per_call_limit_usd: expected a number greater than 0, received -1"],
    ["cost: { per_session_limit_usd: 0 }", "aegis.yaml:1:32 cost.per_session_limit_usd: expected a number greater than 0, received 0"],
    ["cost: { daily_budget_usd: -50 }", "aegis.yaml:1:27 cost.daily_budget_usd: expected a number greater than 0, received -50"],
    ["cost: { per_minute_tokens: 1.5 }", "aegis.yaml:1:28 cost.per_minute_tokens: expected a positive whole number, received 1.5"],
    ["cost: { per_minute_tokens: 0 }", "aegis.yaml:1:28 cost.per_minute_tokens: expected a positive whole number, received 0"],
    ["cost: { alert_threshold: 0 }", "aegis.yaml:1:26 cost.alert_threshold: expected a number greater than 0 and at most 1, received 0"],
    ["cost: { alert_threshold: 1.5 }", "aegis.yaml:1:26 cost.alert_threshold: expected a number greater than 0 and at most 1, received 1.5"],
    ["cost: { on_exceed: stop }", 'aegis.yaml:1:20 cost.on_exceed: expected one of block | warn | log, received the string "stop"'],
    ["cost: { loop_detection: true }", "aegis.yaml:1:25 cost.loop_detection: expected false (to disable) or a mapping { window_seconds, threshold }, received true"],
    ["cost: { loop_detection: { threshold: 1 } }", "aegis.yaml:1:38 cost.loop_detection.threshold: expected a whole number of at least 2, received 1"],
    ["cost: { loop_detection: { window_seconds: -1 } }", "aegis.yaml:1:43 cost.loop_detection.window_seconds: expected a number greater than 0, received -1"],
    ["cost: { daily_reset_timezone: Mars/Olympus }", 'aegis.yaml:1:31 cost.daily_reset_timezone: expected an IANA time zone name such as UTC or Europe/Paris, received the string "Mars/Olympus"'],
    ["cost: 5", "aegis.yaml:1:7 cost: expected a mapping of cost limits, received 5"],
    ["agents: [a, b]", "aegis.yaml:1:9 agents: expected a mapping of agent ids, received a list of 2 items"],
    ["agents: { a: { budget_usd: -1 } }", "aegis.yaml:1:28 agents.a.budget_usd: expected a number greater than 0, received -1"],
    ["agents: { a: 3 }", "aegis.yaml:1:14 agents.a: expected a mapping { parent?, budget_usd? } (or nothing), received 3"],
    ["pricing: { m: { input: 1 } }", "aegis.yaml:1:15 pricing.m.output: expected a price in USD per million tokens (a number, 0 or more), received nothing (the key is missing)"],
    ["pricing: { m: { input: -1, output: 1 } }", "aegis.yaml:1:24 pricing.m.input: expected a price in USD per million tokens (a number, 0 or more), received -1"],
    ["pricing: { m: { input: 1, output: 1, web_search_per_1k: -10 } }", "aegis.yaml:1:57 pricing.m.web_search_per_1k: expected a price in USD per 1,000 web searches (a number, 0 or more), received -10"],
    ['pricing: { m: { input: 1, output: 1, web_search_per_1k: "10" } }', 'aegis.yaml:1:57 pricing.m.web_search_per_1k: expected a price in USD per 1,000 web searches (a number, 0 or more), received the string "10"'],
    ["pricing: { m: { input: 1, output: 1, provider: azure } }", 'aegis.yaml:1:48 pricing.m.provider: expected one of openai | anthropic | gemini | other, received the string "azure"'],
    ['pricing: { "gpt-4.1": { input: 1, output: 1, max_output_tokens: 0 } }', 'aegis.yaml:1:65 pricing["gpt-4.1"].max_output_tokens: expected a positive whole number, received 0'],
    ['proxy: { openai: { upstream: "ftp://example.com" } }', 'aegis.yaml:1:30 proxy.openai.upstream: expected an http:// or https:// URL, received the string "ftp://example.com"'],
    ["proxy: { gemini: { upstream: not a url } }", 'aegis.yaml:1:30 proxy.gemini.upstream: expected an http:// or https:// URL, received the string "not a url"'],
    ["ledger: { dir: '' }", 'aegis.yaml:1:16 ledger.dir: expected a directory path, received the string ""'],
    ["run: { kill_on: sometimes }", 'aegis.yaml:1:17 run.kill_on: expected one of fatal | always | never, received the string "sometimes"'],
    ["run: { kill_grace_seconds: 0 }", "aegis.yaml:1:28 run.kill_grace_seconds: expected a number greater than 0, received 0"],
    ["store: 5", "aegis.yaml:1:8 store: expected a SQLite path or redis:// URL, or a mapping { url, fail_open, lease_seconds }, received 5"],
    ['store: "http://cache:6379"', 'aegis.yaml:1:8 store: expected a SQLite file path or a redis://host:port/db URL, received the string "http://cache:6379"'],
    ["store: { fail_open: yes }", 'aegis.yaml:1:21 store.fail_open: expected true or false, received the string "yes"'],
    ["store: { lease_seconds: -3 }", "aegis.yaml:1:25 store.lease_seconds: expected a number greater than 0, received -3"],
    ["- a\n- b\n", "aegis.yaml:1:1 (top level): expected a mapping of sections (cost, agents, pricing, proxy, ledger, run, store), received a list of 2 items"],
  ])("%s", (text, expected) => {
    expect(lines(text)).toEqual([expected]);
  });

  it("gives the structured fields of a problem", () => {
    expect(only("cost:\n  budget_usd: -5\n")).toEqual({
      path: "cost.budget_usd",
      line: 2,
      column: 15,
      expected: "a number greater than 0",
      received: "-5",
      message: "cost.budget_usd: expected a number greater than 0, received -5",
    });
  });
});

describe("validateConfigText: unknown keys", () => {
  it("suggests the closest allowed key", () => {
    const problem = only("cost:\n  budgte_usd: 100\n");
    expect(problem).toMatchObject({ path: "cost.budgte_usd", line: 2, column: 3, suggestion: "did you mean `budget_usd`?" });
    expect(formatProblem(problem, "aegis.yaml")).toBe("aegis.yaml:2:3 cost.budgte_usd: unknown key; did you mean `budget_usd`?");
  });

  it.each([
    ["csot: {}", "aegis.yaml:1:1 csot: unknown key; did you mean `cost`?"],
    ["cost: { perCallLimitUsd: 1 }", "aegis.yaml:1:9 cost.perCallLimitUsd: unknown key; did you mean `per_call_limit_usd`?"],
    ["agents: { a: { budget: 1 } }", "aegis.yaml:1:16 agents.a.budget: unknown key; did you mean `budget_usd`?"],
    ["pricing: { m: { input: 1, output: 1, cahced: 1 } }", "aegis.yaml:1:38 pricing.m.cahced: unknown key; did you mean `cached`?"],
    ["store: { urll: x.db }", "aegis.yaml:1:10 store.urll: unknown key; did you mean `url`?"],
    ["proxy: { openai: { upstrem: 'https://x' } }", "aegis.yaml:1:20 proxy.openai.upstrem: unknown key; did you mean `upstream`?"],
  ])("%s", (text, expected) => {
    expect(lines(text)).toEqual([expected]);
  });

  it("lists the allowed keys when nothing is close", () => {
    expect(lines("ledger: { zzzzzz: 1 }")).toEqual([
      'aegis.yaml:1:11 ledger.zzzzzz: unknown key; expected one of the keys dir',
    ]);
  });
});

describe("validateConfigText: cross-field rules", () => {
  it("reports an unknown parent with a suggestion", () => {
    expect(lines("agents:\n  orchestrator: {}\n  researcher: { parent: orchestratr }\n")).toEqual([
      'aegis.yaml:3:25 agents.researcher.parent: expected the id of another agent in `agents` (orchestrator), received "orchestratr", which is not an agent in `agents`; did you mean `orchestrator`?',
    ]);
  });

  it("reports a cycle a → b → a once", () => {
    expect(lines("agents:\n  a: { parent: b }\n  b: { parent: a }\n")).toEqual([
      "aegis.yaml:2:16 agents.a.parent: expected a parent chain that ends at a root agent (one without a parent), received the cycle a → b → a",
    ]);
  });

  it("reports an agent that is its own parent", () => {
    expect(only("agents:\n  a: { parent: a }\n").received).toBe("the cycle a → a");
  });

  it("does not report a chain that only leads into a cycle twice", () => {
    expect(validateConfigText("agents:\n  a: { parent: b }\n  b: { parent: a }\n  c: { parent: a }\n", "f").problems).toHaveLength(1);
  });

  it("reports model ids that differ only in case", () => {
    expect(lines("pricing:\n  my-model: { input: 1, output: 1 }\n  My-Model: { input: 2, output: 2 }\n")).toEqual([
      'aegis.yaml:3:3 pricing.My-Model: expected each model id once (ids are case-insensitive), received a second entry for "my-model"',
    ]);
  });
});

describe("validateConfigText: YAML", () => {
  it("reports a syntax error with its line and column", () => {
    const problems = validateConfigText("cost:\n  budget_usd: 1\n  on_exceed: [block\n", "f").problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ path: "", line: 4, column: 1 });
    expect(problems[0]?.message).toMatch(/^YAML syntax error: /);
  });

  it("reports a mis-indented key where the parser trips on it", () => {
    expect(lines("cost:\n  budget_usd: 1\n   per_call_limit_usd: 2\n")[0]).toBe(
      "aegis.yaml:2:15 YAML syntax error: Nested mappings are not allowed in compact mappings",
    );
  });

  it("reports a duplicate key with both lines", () => {
    expect(lines("cost:\n  budget_usd: 1\n  budget_usd: 2\n")).toEqual([
      "aegis.yaml:3:3 cost.budget_usd: duplicate key (first defined on line 2); each key may appear once",
    ]);
  });

  it("reports a duplicate section", () => {
    expect(lines("run: { kill_on: never }\nrun: { kill_on: always }\n")).toEqual([
      "aegis.yaml:2:1 run: duplicate key (first defined on line 1); each key may appear once",
    ]);
  });
});

describe("validateConfigText: every problem at once", () => {
  it("collects schema, rule and YAML-level problems in line order", () => {
    const text = [
      "cost:",
      "  budgte_usd: 100",
      '  per_call_limit_usd: "abc"',
      "  budget_usd: -5",
      "  on_exceed: stop",
      "agents:",
      "  a: { parent: b }",
      "  b: { parent: a }",
      "  c: { parent: ghost }",
      "run: { kill_on: never }",
      "run: { kill_on: always }",
    ].join("\n");
    expect(validateConfigText(text, "f").problems.map((p) => `${p.line} ${p.path}`)).toEqual([
      "2 cost.budgte_usd",
      "3 cost.per_call_limit_usd",
      "4 cost.budget_usd",
      "5 cost.on_exceed",
      "7 agents.a.parent",
      "9 agents.c.parent",
      "11 run",
    ]);
  });
});
