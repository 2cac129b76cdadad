import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryOutput } from "../output.js";
import { ConfigError } from "../../errors.js";
import { validateCommand } from "./validate.js";

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "aegis-validate-")));
  vi.spyOn(process, "cwd").mockReturnValue(dir);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe("validateCommand", () => {
  it("prints a one-line summary and exits 0 for a valid discovered config", async () => {
    writeFileSync(join(dir, "aegis.yaml"), "cost: { budget_usd: 5, daily_budget_usd: 2 }\nagents: { a: {} }\npricing: { m: { input: 1, output: 2 } }\n");
    const out = memoryOutput();
    expect(await validateCommand(undefined, out)).toBe(0);
    expect(out.stdout).toBe("aegis.yaml is valid: 2 limits, 1 agent, 1 custom price\n");
    expect(out.stderr).toBe("");
  });

  it("prints every problem on stdout and the count on stderr, exit 1", async () => {
    writeFileSync(join(dir, "my.yaml"), "cost:\n  budget_usd: -1\n  on_exceed: stop\n");
    const out = memoryOutput();
    expect(await validateCommand("my.yaml", out)).toBe(1);
    expect(out.stdout).toBe(
      'my.yaml:2:15 cost.budget_usd: expected a number greater than 0, received -1\nmy.yaml:3:14 cost.on_exceed: expected one of block | warn | log, received the string "stop"\n',
    );
    expect(out.stderr).toBe("2 problems in my.yaml\n");
  });

  it("fails with a ConfigError naming a missing file", async () => {
    await expect(validateCommand("missing.yaml", memoryOutput())).rejects.toThrow(new ConfigError("config file missing.yaml not found", []));
  });
});
