// The shape of one config problem and how it is printed. Every problem names the field (a dotted
// path), where it is (line:column), what was expected and what was received, so a user can fix the
// whole file in one pass.

/** One problem found in a config file. `line` and `column` are 1-based. */
export interface ConfigProblem {
  /** Dotted path of the field, e.g. "cost.budget_usd"; "" for the document itself. */
  path: string;
  line: number;
  column: number;
  /** What would be accepted, e.g. "a number greater than 0". */
  expected: string;
  /** What the file holds, e.g. "-5" or `the string "abc"`. */
  received: string;
  /** The whole sentence, without the file position: "cost.budget_usd: expected …, received …". */
  message: string;
  /** A likely fix, e.g. "did you mean `budget_usd`?". */
  suggestion?: string;
}

/** Formats a problem as one line: `aegis.yaml:4:16 cost.budget_usd: expected …, received -5`. */
export function formatProblem(problem: ConfigProblem, fileName: string): string {
  return `${fileName}:${problem.line}:${problem.column} ${problem.message}`;
}

/** Joins path segments into a dotted path; a segment that is not a plain word is quoted. */
export function pathText(path: readonly (string | number)[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** Describes a value read from YAML for a "received …" text. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (the key is missing)";
  if (value === null) return "an empty value";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (typeof value === "object") return "a mapping";
  return typeof value;
}

/** Builds a problem whose message follows the house format. */
export function makeProblem(
  fields: Omit<ConfigProblem, "message"> & { message?: string },
): ConfigProblem {
  const where = fields.path === "" ? "(top level)" : fields.path;
  const base = fields.message ?? `${where}: expected ${fields.expected}, received ${fields.received}`;
  const message = fields.suggestion === undefined ? base : `${base}; ${fields.suggestion}`;
  const problem: ConfigProblem = { ...fields, message };
  return problem;
}
