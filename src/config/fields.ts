// Field builders for the config schema. Each carries its own "expected …" text (zod's default
// messages are not the house style), used for every issue the field can raise.
//
// zod/mini, zod's tree-shakable functional API: the same validator as the classic chained API, at
// ~3 MB less memory in every `aegis run` (performance.md X1: the classic API's classes and their
// methods are all evaluated at start, used or not).
import * as z from "zod/mini";
import { isUtcZone } from "../core/policy/zone-name.js";

/**
 * The largest USD amount a limit may hold: money is counted in integer nano-dollars, which stay
 * exact only up to 2^53 nanos (about $9,007,199).
 */
export const MAX_USD = 9_000_000;

/** A USD amount greater than 0 (a limit or a budget). */
export function positiveUsd() {
  const expected = "a number greater than 0";
  return z
    .number({ error: expected })
    .check(z.gt(0, { error: expected }), z.maximum(MAX_USD, { error: `a number at most ${MAX_USD} (larger amounts cannot be counted exactly)` }));
}

/** A price in USD per million tokens: 0 or more (a free local model may cost 0). */
export function price() {
  const expected = "a price in USD per million tokens (a number, 0 or more)";
  return z.number({ error: expected }).check(z.minimum(0, { error: expected }), z.maximum(MAX_USD, { error: `a price at most ${MAX_USD}` }));
}

/** A price in USD per 1,000 server-side web searches: 0 or more. */
export function searchPrice() {
  const expected = "a price in USD per 1,000 web searches (a number, 0 or more)";
  return z.number({ error: expected }).check(z.minimum(0, { error: expected }), z.maximum(MAX_USD, { error: `a price at most ${MAX_USD}` }));
}

/** A number greater than 0 and at most 1 (a fraction of a budget). */
export function fraction() {
  const expected = "a number greater than 0 and at most 1";
  return z.number({ error: expected }).check(z.gt(0, { error: expected }), z.maximum(1, { error: expected }));
}

/** `schema` with a description (shown by editors through the published JSON Schema). */
export function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  return schema.check(z.describe(description));
}

/** A positive number (seconds). */
export function positiveNumber() {
  const expected = "a number greater than 0";
  return z.number({ error: expected }).check(z.gt(0, { error: expected }));
}

/** An integer of at least `min`. */
export function integerAtLeast(min: number) {
  const expected = min === 1 ? "a positive whole number" : `a whole number of at least ${min}`;
  // z.int() is a safe integer: at most Number.MAX_SAFE_INTEGER.
  return z.int({ error: expected }).check(z.minimum(min, { error: expected }));
}

/** One of a fixed set of words. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of ${values.join(" | ")}` });
}

/** A non-empty string. */
export function nonEmptyString(expected: string) {
  return z.string({ error: expected }).check(z.minLength(1, { error: expected }));
}

/** An IANA time zone name that this Node.js knows (checked with Intl.DateTimeFormat). */
export function timeZone() {
  const expected = "an IANA time zone name such as UTC or Europe/Paris";
  return nonEmptyString(expected).check(z.refine(isKnownTimeZone, { error: expected }));
}

/** An http:// or https:// URL. */
export function httpUrl() {
  const expected = "an http:// or https:// URL";
  return nonEmptyString(expected).check(z.refine(isHttpUrl, { error: expected }));
}

/** A SQLite file path or a redis:// (rediss://) URL. */
export function storeUrl() {
  const expected = "a SQLite file path or a redis://host:port/db URL";
  return nonEmptyString(expected).check(z.refine(isStoreUrl, { error: expected }));
}

/** A strict mapping (unknown keys are errors) whose type error reads `expected`. */
export function mapping<S extends z.core.$ZodLooseShape>(shape: S, expected: string) {
  return z.strictObject(shape, { error: expected });
}

// Intl throws a RangeError for a zone it does not know. UTC names (UTC, Etc/UTC, GMT, …: all known
// to Intl) skip it: the first Intl formatter of a process loads ICU data, ~10 ms of start-up.
function isKnownTimeZone(zone: string): boolean {
  if (isUtcZone(zone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isHttpUrl(text: string): boolean {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  return url !== undefined && (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}

// A value with a scheme must be a Redis URL; anything else is a file path.
function isStoreUrl(text: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return true;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  return url !== undefined && (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "";
}
