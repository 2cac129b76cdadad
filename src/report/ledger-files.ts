// Resolves the report's arguments to ledger files (a directory means every *.jsonl in it, sorted
// by name) and cuts large files into line-aligned byte ranges for a parallel scan.

import { closeSync, openSync, readSync } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { AegisError, EXIT, UsageError } from "../errors.js";
import type { RangeTask } from "./scan-range.js";

/** A ledger file and its size in bytes. */
export interface LedgerFile {
  path: string;
  size: number;
}

/** The files named by `inputs`, each once (by real path), in argument order; directories expanded. */
export async function listLedgerFiles(inputs: readonly string[]): Promise<LedgerFile[]> {
  const files: LedgerFile[] = [];
  const seen = new Set<string>();
  const add = async (path: string): Promise<void> => {
    const real = await realpath(path);
    if (seen.has(real)) return;
    seen.add(real);
    files.push({ path, size: (await stat(real)).size });
  };
  for (const input of inputs) {
    const info = await stat(input).catch((error: unknown) => {
      throw fileError(input, error);
    });
    if (info.isDirectory()) {
      const names = (await readdir(input, { withFileTypes: true }).catch((error: unknown) => {
        throw fileError(input, error);
      }))
        .filter((e) => e.name.endsWith(".jsonl") && (e.isFile() || e.isSymbolicLink()))
        .map((e) => e.name)
        .sort();
      for (const name of names) await add(join(input, name));
    } else if (info.isFile()) {
      await add(input);
    } else {
      throw new UsageError(`ledger ${input}: expected a .jsonl file or a directory of them, received something else (a device or socket)`);
    }
  }
  return files;
}

// A clear message for a path that cannot be used; no stack trace.
function fileError(path: string, error: unknown): AegisError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return new UsageError(`ledger not found: ${path} (expected a .jsonl file or a directory of them)`);
  if (code === "EACCES" || code === "EPERM") return new AegisError(`cannot read ledger ${path}: permission denied`, EXIT.checkFailed);
  return new AegisError(`cannot read ledger ${path}: ${error instanceof Error ? error.message : String(error)}`, EXIT.checkFailed);
}

/** Cuts each file larger than `minBytes` into `parts` ranges that start at line boundaries. */
export function planRanges(files: readonly LedgerFile[], parts: number, minBytes: number): RangeTask[] {
  const tasks: RangeTask[] = [];
  for (const f of files) {
    if (parts < 2 || f.size < minBytes) {
      tasks.push({ file: f.path, start: 0, end: f.size });
      continue;
    }
    const fd = openSync(f.path, "r");
    try {
      let start = 0;
      for (let k = 1; k <= parts; k++) {
        const end = k === parts ? f.size : Math.max(start, nextLineStart(fd, Math.floor((f.size * k) / parts), f.size));
        if (end > start) tasks.push({ file: f.path, start, end });
        start = end;
      }
    } finally {
      closeSync(fd);
    }
  }
  return tasks;
}

// The offset just after the first newline at or after `from` (or `size` when there is none).
function nextLineStart(fd: number, from: number, size: number): number {
  const buf = Buffer.allocUnsafe(64 * 1024);
  let pos = from;
  while (pos < size) {
    const got = readSync(fd, buf, 0, buf.length, pos);
    if (got === 0) break;
    const nl = buf.subarray(0, got).indexOf(10);
    if (nl !== -1) return pos + nl + 1;
    pos += got;
  }
  return size;
}
