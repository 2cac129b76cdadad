import { describe, expect, it } from "vitest";
import { renderCsvReport } from "./report-csv.js";

const row = (key: string) => ({ key, calls: 1, blocked: 0, warned: 0, input: 10, cache_read: 0, cache_write: 0, output: 5, reasoning: 0, nanos: 1_500_000 });

describe("CSV report", () => {
  it.each([
    ["=HYPERLINK(\"x\")", `"'=HYPERLINK(""x"")"`],
    ["+1", "'+1"],
    ["-cmd", "'-cmd"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["researcher", "researcher"],
    ["a,b", `"a,b"`],
  ])("a ledger value %s is written as %s (no formula a spreadsheet would run; RFC 4180 quoting)", (key, field) => {
    const text = renderCsvReport("agent", [row(key)] as never);
    expect(text.split("\r\n")[1]?.startsWith(`${field},1,0,0,10,0,0,5,0,`)).toBe(true);
  });
});
