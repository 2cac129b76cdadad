import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLedger } from "./writer.js";
import { LEDGER_VERSION, type LogLine, type SessionStartLine } from "./entry.js";
import { redactString } from "./redact.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "aegis-ledger-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function logLine(message: string): LogLine {
  return { v: LEDGER_VERSION, type: "log", ts: "2026-01-01T00:00:00.000Z", session_id: "s1", call_id: "c1", dimension: "per_call", message };
}

describe("openLedger", () => {
  it("creates the directory and a 0600 file, one JSON object per line", () => {
    const path = join(dir, "nested", "deeper", "s1.jsonl");
    const ledger = openLedger(path);
    ledger.write(logLine("one"));
    ledger.write(logLine("two"));
    ledger.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "nested")).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "nested", "deeper")).mode & 0o777).toBe(0o700);
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.at(-1)).toBe("");
    expect(lines.slice(0, -1).map((l) => (JSON.parse(l) as LogLine).message)).toEqual(["one", "two"]);
  });

  it("a directory that cannot be created is an error, not a hang (Node 20's recursive mkdir spins under /proc)", () => {
    expect(() => openLedger("/proc/aegis-no-such-dir/deeper/s1.jsonl")).toThrow(/ENOENT/);
  });

  it("tightens an existing file to 0600 and appends to it", () => {
    const path = join(dir, "old.jsonl");
    writeFileSync(path, '{"v":1}\n');
    chmodSync(path, 0o644);
    const ledger = openLedger(path);
    ledger.write(logLine("new"));
    ledger.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8").split("\n").filter(Boolean)).toHaveLength(2);
  });

  it("two writers on one file never interleave their lines", () => {
    const path = join(dir, "shared.jsonl");
    const a = openLedger(path);
    const b = openLedger(path);
    const big = "x".repeat(20_000);
    for (let i = 0; i < 50; i++) {
      a.write(logLine(`a${i}${big}`));
      b.write(logLine(`b${i}${big}`));
    }
    a.close();
    b.close();
    const lines = readFileSync(path, "utf8").split("\n").filter(Boolean);
    expect(lines).toHaveLength(100);
    for (const line of lines) expect((JSON.parse(line) as LogLine).message.endsWith(big)).toBe(true);
  });

  it("never writes API keys, the session token or query strings", () => {
    const path = join(dir, "secrets.jsonl");
    const token = "f00dfeedcafebabe0123456789abcdef";
    const ledger = openLedger(path, { secrets: [token] });
    const start: SessionStartLine = {
      v: LEDGER_VERSION,
      type: "session_start",
      ts: "2026-01-01T00:00:00.000Z",
      session_id: "s1",
      command: ["node", "agent.js", "--api-key", "sk-proj-abcdefghijklmnop", `--token=${token}`],
      config_path: null,
      config_digest: "d",
      limits: { budget_usd: null, per_call_limit_usd: null, per_session_limit_usd: null, daily_budget_usd: null, per_minute_tokens: null, alert_threshold: 0.8, on_exceed: "block" },
      agents: {},
      default_agent: "main",
    };
    ledger.write(start);
    ledger.write(logLine("upstream https://generativelanguage.googleapis.com/v1beta/models/x:generateContent?key=AIzaSyA1234567890abcdefghijklmnopq failed"));
    ledger.close();
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain("sk-proj-abcdefghijklmnop");
    expect(text).not.toContain(token);
    expect(text).not.toContain("AIzaSy");
    expect(text).not.toContain("?key=");
    expect(text).toContain("https://generativelanguage.googleapis.com/v1beta/models/x:generateContent failed");
  });

  it("ignores writes after close", () => {
    const path = join(dir, "closed.jsonl");
    const ledger = openLedger(path);
    ledger.close();
    ledger.write(logLine("late"));
    expect(readFileSync(path, "utf8")).toBe("");
  });
});

describe("redactString", () => {
  it("keeps ordinary text and redacts bearer tokens", () => {
    expect(redactString("Session spend $5.1200 would exceed per-session limit $5.0000")).toBe("Session spend $5.1200 would exceed per-session limit $5.0000");
    expect(redactString("Authorization: Bearer abcdefghijkl")).toBe("Authorization: Bearer [redacted]");
  });
});
