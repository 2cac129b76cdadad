import Table from "cli-table3";
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { plainColumns } from "./plain-columns.js";

// What cli-table3 draws with no borders and no padding (the piped pricing table), lines trimmed.
function cliTable3(rows: string[][]): string {
  const empty = { top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "", left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "  " };
  const [head = [], ...body] = rows;
  const t = new Table({ head, chars: empty, style: { head: [], border: [], compact: true, "padding-left": 0, "padding-right": 0 } });
  for (const r of body) t.push(r);
  return t.toString().split("\n").map((l) => l.trimEnd()).join("\n");
}

describe("plainColumns", () => {
  it("draws exactly what cli-table3 draws without borders, colour codes taking no room", () => {
    const c = new Chalk({ level: 1 });
    const rows = [
      [c.bold("model"), c.bold("input"), c.bold("long ctx")],
      ["gpt-4o", "$2.50", ""],
      [`my-model ${c.yellow("(config)")}`, "$0.075", "—"],
      ["x", "$10.00", ">200k"],
    ];
    expect(plainColumns(rows)).toBe(cliTable3(rows));
    expect(plainColumns(rows)).toContain("\u001b[33m(config)\u001b[39m");
  });

  it("gives up on text whose width is not certain (wide characters, line breaks)", () => {
    expect(plainColumns([["model"], ["模型"]])).toBeUndefined();
    expect(plainColumns([["model"], ["a\nb"]])).toBeUndefined();
  });
});
