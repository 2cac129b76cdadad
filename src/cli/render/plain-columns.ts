// Aligned columns without borders, for tables written to a pipe or a file: what cli-table3 draws
// with empty border characters and no padding, without loading it (its import and layout engine
// are most of the start-up cost of `aegis pricing list`: performance.md C2).

// SGR colour codes (chalk's only output): they take no room on screen.
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;
// Characters one column wide for certain: printable ASCII and the dash the tables use for "none".
const NARROW = /^[\x20-\x7e—]*$/;

/**
 * The rows as columns separated by `gap`, each cell left-aligned and padded to its column's width,
 * trailing spaces trimmed; undefined when a cell holds text whose width is not certain (wide or
 * combining characters, line breaks), so the caller can fall back to a full table renderer.
 */
export function plainColumns(rows: readonly (readonly string[])[], gap = "  "): string | undefined {
  const widths: number[] = [];
  const visible = rows.map((row) =>
    row.map((cell, i) => {
      const text = cell.replace(SGR, "");
      if (!NARROW.test(text)) return -1;
      widths[i] = Math.max(widths[i] ?? 0, text.length);
      return text.length;
    }),
  );
  if (visible.some((row) => row.includes(-1))) return undefined;
  return rows
    .map((row, r) =>
      row
        .map((cell, i) => cell + " ".repeat((widths[i] ?? 0) - (visible[r]?.[i] ?? 0)))
        .join(gap)
        .trimEnd(),
    )
    .join("\n");
}
