// The session secret: a fresh random token per run, compared in constant time.
import { randomBytes, timingSafeEqual } from "node:crypto";

/** A fresh 256-bit secret, hex encoded (URL- and header-safe). */
export function newSessionToken(): string {
  return randomBytes(32).toString("hex");
}

/**
 * Constant-time equality of a presented secret with the expected one. Only the length can be
 * learnt from the time taken, and it is no secret: every session token is 64 hex characters.
 * The presented side is not hashed first (as equal-length buffers for timingSafeEqual would
 * otherwise need): that hash ran on every metering call and every proxied one.
 */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const want = expectedBytes(expected);
  const got = Buffer.from(presented, "utf8");
  return got.length === want.length && timingSafeEqual(got, want);
}

// The expected side is the session's one token, checked on every request: encode it once.
let lastExpected: string | undefined;
let lastBytes: Buffer = Buffer.alloc(0);
function expectedBytes(expected: string): Buffer {
  if (expected !== lastExpected) {
    lastBytes = Buffer.from(expected, "utf8");
    lastExpected = expected;
  }
  return lastBytes;
}

/** The token from an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
