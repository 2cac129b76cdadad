import { closeSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLines } from "./line-reader.js";

function linesOf(content: string | Buffer, start = 0, end?: number): Array<[string, number, boolean]> {
  const dir = mkdtempSync(join(tmpdir(), "aegis-lines-"));
  const file = join(dir, "l.jsonl");
  writeFileSync(file, content);
  const fd = openSync(file, "r");
  const got: Array<[string, number, boolean]> = [];
  try {
    readLines(fd, start, end ?? Buffer.byteLength(content), (t, n, u) => got.push([t, n, u]), () => {});
  } finally {
    closeSync(fd);
  }
  return got;
}

describe("readLines", () => {
  it("splits lines, numbers them and flags an unterminated last line", () => {
    expect(linesOf("a\nbb\n\nccc")).toEqual([["a", 1, false], ["bb", 2, false], ["", 3, false], ["ccc", 4, true]]);
    expect(linesOf("a\n")).toEqual([["a", 1, false]]);
  });

  it("keeps lines and multi-byte characters whole across chunk boundaries", () => {
    // ~600 KB of lines with 3- and 4-byte characters: several 128 KiB chunks, cut anywhere.
    const lines = Array.from({ length: 6000 }, (_, i) => `{"n":${i},"agent":"研究者-🤖-${"x".repeat(i % 97)}"}`);
    const got = linesOf(`${lines.join("\n")}\n`);
    expect(got.length).toBe(lines.length);
    expect(got.every(([t, n]) => t === lines[n - 1])).toBe(true);
  });

  it("reads a line longer than a chunk", () => {
    const long = "y".repeat(1_000_000);
    expect(linesOf(`a\n${long}\nb\n`).map(([t]) => t.length)).toEqual([1, 1_000_000, 1]);
  });

  it("reads only the byte range it is given", () => {
    expect(linesOf("a\nbb\nccc\n", 2, 5)).toEqual([["bb", 1, false]]);
  });
});
