// End-to-end: the built binary (`npm run build` first) on real files.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(repo, "bin", "aegis.js");

function aegis(args: string[], cwd: string) {
  return execa("node", [bin, ...args], { cwd, reject: false, env: { NO_COLOR: "1" } });
}

// True when a directory or one of its parents holds an aegis.yaml / aegis.yml.
function hasConfigAbove(start: string): boolean {
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, "aegis.yaml")) || existsSync(join(d, "aegis.yml"))) return true;
    if (dirname(d) === d) return false;
  }
}

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "aegis-e2e-validate-")));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("aegis validate", () => {
  it("accepts the shipped example", async () => {
    const result = await aegis(["validate", "aegis.example.yaml"], repo);
    expect(result).toMatchObject({
      exitCode: 0,
      stdout: "aegis.example.yaml is valid: 5 limits, 4 agents, 1 custom price",
      stderr: "",
    });
  });

  it("names every problem with its line and exits 1", async () => {
    writeFileSync(
      join(dir, "aegis.yaml"),
      [
        "# a config with four mistakes",
        "cost:",
        "  budget_usd: -5",
        '  per_call_limit_usd: "two dollars"',
        "  per_sesion_limit_usd: 10",
        "  on_exceed: stop",
        "",
      ].join("\n"),
    );
    const result = await aegis(["validate"], dir);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split("\n")).toEqual([
      "aegis.yaml:3:15 cost.budget_usd: expected a number greater than 0, received -5",
      'aegis.yaml:4:23 cost.per_call_limit_usd: expected a number greater than 0, received the string "two dollars"',
      "aegis.yaml:5:3 cost.per_sesion_limit_usd: unknown key; did you mean `per_session_limit_usd`?",
      'aegis.yaml:6:14 cost.on_exceed: expected one of block | warn | log, received the string "stop"',
    ]);
    expect(result.stderr).toBe("4 problems in aegis.yaml");
  });

  it("reports a YAML syntax error with its position", async () => {
    writeFileSync(join(dir, "bad.yml"), "cost:\n  budget_usd: 1\n  on_exceed: [block\n");
    const result = await aegis(["validate", "bad.yml"], dir);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^bad\.yml:4:1 YAML syntax error: /);
  });

  it("says so, without a stack trace, when the named file does not exist", async () => {
    const result = await aegis(["validate", "nope.yaml"], dir);
    expect(result).toMatchObject({ exitCode: 1, stdout: "", stderr: "aegis: config file nope.yaml not found" });
  });

  // Needs a temp directory with no aegis.yaml above it (true on a clean machine).
  it.skipIf(hasConfigAbove(tmpdir()))("says so when no config is found", async () => {
    const result = await aegis(["validate"], dir);
    expect(result).toMatchObject({
      exitCode: 1,
      stdout: "",
      stderr: `aegis: no aegis.yaml or aegis.yml in ${dir} or any parent directory (name a file: aegis validate FILE)`,
    });
  });

  it("exits 2 on a usage error", async () => {
    const result = await aegis(["validate", "a.yaml", "b.yaml"], dir);
    expect(result.exitCode).toBe(2);
  });
});
