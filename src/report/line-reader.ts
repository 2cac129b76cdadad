// Reads the lines of a byte range of a file in large chunks, splitting on "\n" by hand — faster
// than readline and never holding more than one chunk (plus one partial line) in memory. Chunks
// are decoded only up to their last newline, so a multi-byte UTF-8 character is never cut.

import { isAscii } from "node:buffer";
import { readSync } from "node:fs";

// 128 KiB: larger chunks were no faster and, with worker threads, inflated RSS (each chunk becomes
// a large short-lived string per thread).
const CHUNK_BYTES = 128 << 10;
/** Longest line accepted; a longer one is skipped (reported), so a file without newlines cannot exhaust memory. */
export const MAX_LINE_BYTES = 64 << 20;

/** Receives each line: its text (no newline), its 1-based number in the range, and whether it ended without a newline. */
export type LineHandler = (text: string, lineNo: number, unterminated: boolean) => void;

/** Reads lines of `fd` in bytes [start, end). `onOversized` hears of skipped over-long lines. Returns the line count. */
export function readLines(fd: number, start: number, end: number, onLine: LineHandler, onOversized: (lineNo: number) => void): number {
  let buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, end - start)));
  let filled = 0;
  let pos = start;
  let lineNo = 0;
  let skipping = false;
  for (;;) {
    const want = Math.min(buf.length - filled, end - pos);
    const got = want > 0 ? readSync(fd, buf, filled, want, pos) : 0;
    if (got === 0) break;
    pos += got;
    filled += got;
    if (skipping) {
      // Inside an over-long line: drop bytes up to its newline.
      const nl = buf.subarray(0, filled).indexOf(10);
      if (nl === -1) {
        filled = 0;
        continue;
      }
      buf.copy(buf, 0, nl + 1, filled);
      filled -= nl + 1;
      skipping = false;
      if (filled === 0) continue;
    }
    const lastNl = buf.lastIndexOf(10, filled - 1);
    if (lastNl === -1) {
      if (filled < buf.length) continue;
      if (buf.length >= MAX_LINE_BYTES) {
        onOversized(++lineNo);
        skipping = true;
        filled = 0;
        continue;
      }
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_LINE_BYTES));
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
      continue;
    }
    // Ledgers are nearly always ASCII, and latin1 decoding of ASCII is much cheaper than UTF-8's.
    const text = isAscii(buf.subarray(0, lastNl)) ? buf.toString("latin1", 0, lastNl) : buf.toString("utf8", 0, lastNl);
    let from = 0;
    for (;;) {
      const nl = text.indexOf("\n", from);
      const line = nl === -1 ? text.slice(from) : text.slice(from, nl);
      onLine(line, ++lineNo, false);
      if (nl === -1) break;
      from = nl + 1;
    }
    buf.copy(buf, 0, lastNl + 1, filled);
    filled -= lastNl + 1;
  }
  if (skipping) return lineNo;
  if (filled > 0) onLine(buf.toString("utf8", 0, filled), ++lineNo, true);
  return lineNo;
}
