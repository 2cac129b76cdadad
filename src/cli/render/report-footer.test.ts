import { describe, expect, it } from "vitest";
import { Chalk } from "chalk";
import { renderHumanReport, type HumanReportInput } from "./report-human.js";
import { renderMarkdownReport } from "./report-markdown.js";

// The footer only reads the counts, the sessions and the filter of the report.
const input = (calls: number, sessions: number): HumanReportInput =>
  ({
    report: { sessions: Array.from({ length: sessions }, () => ({})), call_count: calls, blocked_count: 0, warned_count: 0, decisions: [], decisions_omitted: 0, filter: { since: null, until: null, time_zone: "UTC" } },
    tree: [],
    spent: 0,
    budget: undefined,
    by: "model",
    rows: [],
  }) as never;

describe("report footers", () => {
  it.each([
    [1, 1, "1 session · 1 call recorded"],
    [2, 3, "3 sessions · 2 calls recorded"],
    [0, 1, "1 session · 0 calls recorded"],
  ])("%i calls in %i sessions read %s (human and Markdown)", (calls, sessions, text) => {
    expect(renderHumanReport(input(calls, sessions), { color: new Chalk({ level: 0 }), columns: undefined })).toContain(text);
    expect(renderMarkdownReport(input(calls, sessions))).toContain(text);
  });
});
