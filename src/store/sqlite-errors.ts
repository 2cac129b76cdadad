// User-facing words for what went wrong with the SQLite budget file (never a stack trace).

/** `Budget store <path> …`: what failed, and what to do about it when that is clear. */
export function sqliteProblem(path: string, error: unknown): string {
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";
  const detail = error instanceof Error ? error.message : String(error);
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    return `Budget store ${path} is not a usable SQLite database (${detail}); move it aside or point store: at another file`;
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return `Budget store ${path} is busy: another process held its lock past the busy timeout (${detail})`;
  }
  if (code.startsWith("SQLITE_CANTOPEN") || code === "EACCES" || code === "ENOTDIR" || code === "EEXIST") {
    return `Budget store ${path} cannot be opened (${detail})`;
  }
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_PERM")) {
    return `Budget store ${path} is read-only (${detail})`;
  }
  if (code === "SQLITE_FULL" || code.startsWith("SQLITE_IOERR")) {
    return `Budget store ${path} cannot be written (${detail})`;
  }
  return `Budget store ${path} failed (${code !== "" ? `${code}: ` : ""}${detail})`;
}
