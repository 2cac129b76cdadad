import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findConfig } from "./discover.js";
import { configDigest } from "./digest.js";
import { loadConfig } from "./load.js";
import { ConfigError } from "../errors.js";
import { validateConfigText } from "./validate.js";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "aegis-config-")));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("findConfig", () => {
  it("prefers aegis.yaml over aegis.yml in the same directory", () => {
    writeFileSync(join(root, "aegis.yml"), "");
    writeFileSync(join(root, "aegis.yaml"), "");
    expect(findConfig(root)).toBe(join(root, "aegis.yaml"));
  });

  it("finds aegis.yml in a parent directory", () => {
    const deep = join(root, "a", "b", "c");
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(root, "a", "aegis.yml"), "");
    expect(findConfig(deep)).toBe(join(root, "a", "aegis.yml"));
  });

  it("takes the nearest file", () => {
    const deep = join(root, "a", "b");
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(root, "aegis.yaml"), "");
    writeFileSync(join(root, "a", "aegis.yaml"), "");
    expect(findConfig(deep)).toBe(join(root, "a", "aegis.yaml"));
  });

  it("ignores a directory named aegis.yaml", () => {
    mkdirSync(join(root, "x", "aegis.yaml"), { recursive: true });
    writeFileSync(join(root, "aegis.yaml"), "");
    expect(findConfig(join(root, "x"))).toBe(join(root, "aegis.yaml"));
  });
});

describe("loadConfig", () => {
  it("loads a discovered file and resolves its paths against its directory", async () => {
    const sub = join(root, "sub");
    mkdirSync(sub);
    writeFileSync(join(root, "aegis.yaml"), "cost: { budget_usd: 5 }\nledger: { dir: logs }\n");
    const loaded = await loadConfig({ cwd: sub });
    expect(loaded).toMatchObject({
      path: join(root, "aegis.yaml"),
      dir: root,
      ledgerDir: join(root, "logs"),
      storeUrl: join(root, ".aegis", "budget.db"),
    });
    expect(loaded.config.cost.budget_usd).toBe(5);
    expect(loaded.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  // Needs a temp directory with no aegis.yaml above it (true on a clean machine).
  it.skipIf(findConfig(tmpdir()) !== null)("gives all defaults when no file is found", async () => {
    const loaded = await loadConfig({ cwd: root });
    expect(loaded).toMatchObject({ path: null, dir: root, ledgerDir: join(root, ".aegis", "sessions") });
    expect(loaded.config).toEqual(validateConfigText("", "f").config);
  });

  it("keeps a redis store URL as written", async () => {
    writeFileSync(join(root, "c.yaml"), "store: redis://cache:6379/2\n");
    expect((await loadConfig({ cwd: root, path: "c.yaml" })).storeUrl).toBe("redis://cache:6379/2");
  });

  it("throws a ConfigError naming a missing explicit file", async () => {
    await expect(loadConfig({ cwd: root, path: "nope.yaml" })).rejects.toThrow(new ConfigError("config file nope.yaml not found", []));
  });

  it("throws a ConfigError listing every problem, with the requested exit code", async () => {
    writeFileSync(join(root, "aegis.yaml"), "cost:\n  budget_usd: -5\n  on_exceed: stop\n");
    const error = await loadConfig({ cwd: root, exitCode: 125 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      exitCode: 125,
      problems: [
        "aegis.yaml:2:15 cost.budget_usd: expected a number greater than 0, received -5",
        'aegis.yaml:3:14 cost.on_exceed: expected one of block | warn | log, received the string "stop"',
      ],
      message:
        'invalid config aegis.yaml (2 problems):\n  aegis.yaml:2:15 cost.budget_usd: expected a number greater than 0, received -5\n  aegis.yaml:3:14 cost.on_exceed: expected one of block | warn | log, received the string "stop"',
    });
  });
});

describe("configDigest", () => {
  it("is the same for the same effective config however it is written", () => {
    const a = validateConfigText("cost: { budget_usd: 5, on_exceed: block }\n", "f").config!;
    const b = validateConfigText("# same thing\ncost:\n  on_exceed: block\n  budget_usd: 5.0\n", "f").config!;
    expect(configDigest(a)).toBe(configDigest(b));
  });

  it("changes when a value changes", () => {
    const a = validateConfigText("cost: { budget_usd: 5 }\n", "f").config!;
    const b = validateConfigText("cost: { budget_usd: 6 }\n", "f").config!;
    expect(configDigest(a)).not.toBe(configDigest(b));
  });
});
