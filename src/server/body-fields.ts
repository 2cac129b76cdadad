// The field readers of the metering API's body (DESIGN §4), shared by the top-level usage and its
// sub-inferences. Every rejection names the field (its full path, e.g. `sub_inferences[1].model`),
// what was expected and what was received.

/** A client mistake in a request body: answered 400 with this message. */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadRequestError";
  }
}

/** Largest token count of one kind accepted for one call (100 million: 10× the largest context window). */
export const MAX_TOKENS_PER_CALL = 100_000_000;

/** Longest model id or label accepted. */
export const MAX_STRING = 512;

/** A short, safe rendering of a received value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `${JSON.stringify(shown)} (string)`;
  }
  return `${String(value)} (${typeof value})`;
}

/**
 * A count (tokens, or searches for web_search_requests) read from `body[field]`, reported as
 * `path`: required ones must be present; optional ones may be absent or null.
 */
export function tokenCount(body: Record<string, unknown>, field: string, required: boolean, unit = "tokens", path = field): number | undefined {
  const value = body[field];
  if (value === undefined || (value === null && !required)) {
    if (required) throw new BadRequestError(`${path}: expected a non-negative integer, received nothing (the field is required)`);
    return undefined;
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new BadRequestError(`${path}: expected a non-negative integer, received ${describe(value)}`);
  }
  // No model reads or writes anywhere near this in one call; a larger count is a bug in the
  // caller, and recording it would poison the persistent totals of the shared store.
  if (value > MAX_TOKENS_PER_CALL) {
    throw new BadRequestError(`${path}: expected at most ${MAX_TOKENS_PER_CALL} ${unit} for one call, received ${value}`);
  }
  return value;
}

/** Refuses the keys of `fields` outside `known`, naming them (prefixed by `where`, e.g. "sub_inferences[0]: "). */
export function rejectUnknownFields(fields: Record<string, unknown>, known: ReadonlySet<string>, where = ""): void {
  const unknown = Object.keys(fields).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new BadRequestError(
      `${where}unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(", ")}: expected only ${[...known].join(", ")}`,
    );
  }
}
