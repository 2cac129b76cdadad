import { describe, expect, it } from "vitest";
import { isForegroundStat, parseStatJobFields } from "./terminal.js";

// A /proc/<pid>/stat line: pid (comm) state ppid pgrp session tty_nr tpgid flags …
const stat = (comm: string, pgrp: number, tpgid: number): string =>
  `4242 (${comm}) S 100 ${pgrp} 100 34816 ${tpgid} 4194560 1000 0 0 0 5 2 0 0 20 0 11 0 98765 1000000 2000 18446744073709551615\n`;

describe("parseStatJobFields", () => {
  it("reads pgrp (field 5) and tpgid (field 8)", () => {
    expect(parseStatJobFields(stat("node", 4242, 4242))).toEqual({ pgrp: 4242, tpgid: 4242 });
    expect(parseStatJobFields(stat("node", 4242, -1))).toEqual({ pgrp: 4242, tpgid: -1 });
  });

  it("counts fields from the last parenthesis: the command name may hold spaces and parentheses", () => {
    expect(parseStatJobFields(stat("a) S 1 2 3 4 5 (b", 77, 88))).toEqual({ pgrp: 77, tpgid: 88 });
    expect(parseStatJobFields(stat("my agent (v2) 9 9 9", 31, 31))).toEqual({ pgrp: 31, tpgid: 31 });
    expect(parseStatJobFields(stat(")", 5, 6))).toEqual({ pgrp: 5, tpgid: 6 });
  });

  it("rejects what is not a stat line", () => {
    expect(parseStatJobFields("")).toBeUndefined();
    expect(parseStatJobFields("4242 node S 1 2 3 4 5")).toBeUndefined();
    expect(parseStatJobFields("4242 (node) S 1 x")).toBeUndefined();
    expect(parseStatJobFields("4242 (node) S 1 2 3 4 y 6")).toBeUndefined();
  });
});

describe("isForegroundStat", () => {
  it("is true only when the process group is the terminal's foreground group", () => {
    expect(isForegroundStat(stat("node", 4242, 4242))).toBe(true);
    expect(isForegroundStat(stat("node", 4242, 5000))).toBe(false);
    // No controlling terminal: tpgid is -1.
    expect(isForegroundStat(stat("node", 4242, -1))).toBe(false);
    expect(isForegroundStat("garbage")).toBe(false);
  });
});
