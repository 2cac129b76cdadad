// Defensive readers for provider JSON: upstream bodies are data, not trusted shapes, so a missing
// or mistyped field reads as absent rather than throwing in the middle of a relay.

/** A plain object field, else undefined. */
export function objectAt(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A token count: a finite non-negative number (rounded up), else 0. */
export function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.ceil(value) : 0;
}

/** A non-empty string, else undefined. */
export function stringAt(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Parses JSON text, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
