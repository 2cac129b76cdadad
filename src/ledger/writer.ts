// The session ledger writer (DESIGN §7): append-only JSON Lines, file mode 0600.
// Each line goes out in one synchronous write on an O_APPEND descriptor opened once, so a crash
// loses at most the line being written and lines of concurrent writers (the metering API, the
// proxy, another `aegis run` appending to the same --ledger) never interleave: the kernel appends
// each write() of a regular file atomically at the end.
import { closeSync, existsSync, fchmodSync, fstatSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { LedgerLine } from "./entry.js";
import { redactedJson } from "./redact.js";

/** An open ledger file. */
export interface LedgerWriter {
  /** Absolute or as-given path of the ledger file. */
  readonly path: string;
  /** Appends one line (secrets redacted). Throws only if the disk refuses the write. */
  write(line: LedgerLine): void;
  /** Flushes to disk and closes; later writes are ignored. */
  close(): void;
}

/** Options for opening a ledger. */
export interface OpenLedgerOptions {
  /** Exact strings that must never appear in the file (the session token). */
  secrets?: readonly string[];
}

// Creates `dir` and its missing parents (mode 0700) one level at a time. Node 20's
// mkdirSync({ recursive: true }) spins forever under pseudo file systems such as /proc, where a
// level that cannot exist fails with ENOENT; level by level, that is an ordinary error.
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    if (dirname(d) === d) break;
    missing.unshift(d);
  }
  for (const d of missing) mkdirSync(d, { mode: 0o700 });
}

/** Opens (creating with mode 0600, and its directory) the ledger at `path` for appending. */
export function openLedger(path: string, options: OpenLedgerOptions = {}): LedgerWriter {
  makeDirectories(dirname(path));
  const fd = openSync(path, "a", 0o600);
  // The mode argument applies only on creation (and through the umask): force 0600 on a file
  // that already existed or was created under a permissive umask.
  if ((fstatSync(fd).mode & 0o777) !== 0o600) fchmodSync(fd, 0o600);
  const secrets = options.secrets ?? [];
  let open = true;
  return {
    path,
    write(line) {
      if (!open) return;
      const text = `${redactedJson(line, secrets)}\n`;
      // The string is written as it is (Node encodes it without a Buffer object a line). A regular
      // file takes it all in one write(); only the pathological short write (disk nearly full)
      // goes on from a Buffer, so the line is never silently cut.
      const written = writeSync(fd, text);
      const length = Buffer.byteLength(text);
      if (written < length) {
        const data = Buffer.from(text, "utf8");
        let offset = written;
        while (offset < length) offset += writeSync(fd, data, offset, length - offset);
      }
    },
    close() {
      if (!open) return;
      open = false;
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}
