// Parses and checks one ledger line (src/ledger/entry.ts). A line of the wrong shape is reported
// as corrupt — naming the field, what was expected and what was there — never trusted, never a crash.

import { isCanonicalTs } from "../core/spend/day-key.js";
import { LEDGER_VERSION, type DecisionLine, type SessionEndLine, type SessionStartLine } from "../ledger/entry.js";

/** A line the report uses, a line it knows but does not use (alert, log, duplicate), or why it is corrupt. */
export type ParsedLine =
  | { kind: "decision"; line: DecisionLine }
  | { kind: "session_start"; line: SessionStartLine }
  | { kind: "session_end"; line: SessionEndLine }
  | { kind: "other" }
  | { kind: "corrupt"; problem: string };

const TOKEN_KINDS = ["input", "cache_read", "cache_write_5m", "cache_write_1h", "output", "reasoning"] as const;
const ACTIONS = new Set(["allow", "warn", "block"]);

/** Parses a line of text (without its newline). */
export function parseLedgerLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "corrupt", problem: "not valid JSON" };
  }
  if (!isRecord(value)) return { kind: "corrupt", problem: `expected a JSON object, received ${describe(value)}` };
  if (value.v !== LEDGER_VERSION) return { kind: "corrupt", problem: `field "v": expected ledger format version ${LEDGER_VERSION}, received ${describe(value.v)}` };
  const problem = str(value, "ts") ?? str(value, "session_id");
  if (problem !== undefined) return { kind: "corrupt", problem };
  switch (value.type) {
    case "decision":
      return checkDecision(value);
    case "session_start":
      return checkStart(value);
    case "session_end": {
      const p = num(value, "exit_code") ?? (isRecord(value.totals) ? undefined : expected("totals", "an object", value.totals));
      return p === undefined ? { kind: "session_end", line: value as unknown as SessionEndLine } : { kind: "corrupt", problem: p };
    }
    // A duplicate is a record the proxy had already metered: not spend (the call is its decision line).
    case "alert":
    case "log":
    case "duplicate":
      return { kind: "other" };
    default:
      return { kind: "corrupt", problem: expected("type", "decision, session_start, session_end, alert, log or duplicate", value.type) };
  }
}

function checkDecision(v: Record<string, unknown>): ParsedLine {
  const problem =
    str(v, "id") ??
    str(v, "agent") ??
    str(v, "model") ??
    (ACTIONS.has(v.action as string) ? undefined : expected("action", "allow, warn or block", v.action)) ??
    str(v, "dimension") ??
    str(v, "reason") ??
    tokens(v.tokens) ??
    (isCount(v.cost_nanos) ? undefined : expected("cost_nanos", "a non-negative integer", v.cost_nanos));
  if (problem !== undefined) return { kind: "corrupt", problem };
  if (v.id === "") return { kind: "corrupt", problem: expected("id", "a non-empty string", v.id) };
  // A bare timestamp string is not enough: it must be a date (days and bounds are computed from it).
  // Other ISO forms are rewritten to the canonical one, so that timestamps compare as strings.
  if (!isCanonicalTs(v.ts as string)) {
    const ms = Date.parse(v.ts as string);
    if (Number.isNaN(ms)) return { kind: "corrupt", problem: expected("ts", "an ISO date-time", v.ts) };
    v.ts = new Date(ms).toISOString();
  }
  return { kind: "decision", line: v as unknown as DecisionLine };
}

function checkStart(v: Record<string, unknown>): ParsedLine {
  if (!isRecord(v.limits)) return { kind: "corrupt", problem: expected("limits", "an object", v.limits) };
  if (!isRecord(v.agents)) return { kind: "corrupt", problem: expected("agents", "an object", v.agents) };
  for (const [id, a] of Object.entries(v.agents)) {
    if (!isRecord(a) || !(a.parent === null || typeof a.parent === "string") || !(a.budget_usd === null || typeof a.budget_usd === "number")) {
      return { kind: "corrupt", problem: expected(`agents.${id}`, "{ parent: string | null, budget_usd: number | null }", a) };
    }
  }
  const p = str(v, "default_agent");
  return p === undefined ? { kind: "session_start", line: v as unknown as SessionStartLine } : { kind: "corrupt", problem: p };
}

function tokens(t: unknown): string | undefined {
  if (!isRecord(t)) return expected("tokens", "an object", t);
  for (const k of TOKEN_KINDS) if (!isCount(t[k])) return expected(`tokens.${k}`, "a non-negative integer", t[k]);
  return undefined;
}

function str(v: Record<string, unknown>, field: string): string | undefined {
  return typeof v[field] === "string" ? undefined : expected(field, "a string", v[field]);
}

function num(v: Record<string, unknown>, field: string): string | undefined {
  return typeof v[field] === "number" ? undefined : expected(field, "a number", v[field]);
}

function isCount(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function expected(field: string, what: string, got: unknown): string {
  return `field "${field}": expected ${what}, received ${describe(got)}`;
}

// A short rendering of a received value for messages.
function describe(x: unknown): string {
  if (x === undefined) return "nothing (missing)";
  const text = JSON.stringify(x) ?? String(x);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
