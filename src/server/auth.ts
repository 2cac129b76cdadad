// The session secret: a fresh random token per run, compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A fresh 256-bit secret, hex encoded (URL- and header-safe). */
export function newSessionToken(): string {
  return randomBytes(32).toString("hex");
}

/**
 * Constant-time equality of a presented secret with the expected one. Both sides are hashed
 * first so timingSafeEqual always compares equal-length buffers and the time taken reveals
 * neither the token nor its length.
 */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash("sha256").update(presented).digest();
  return timingSafeEqual(a, expectedDigest(expected));
}

// The expected side is the session's one token, checked on every request: hash it once.
let lastExpected: string | undefined;
let lastDigest: Buffer = Buffer.alloc(0);
function expectedDigest(expected: string): Buffer {
  if (expected !== lastExpected) {
    lastDigest = createHash("sha256").update(expected).digest();
    lastExpected = expected;
  }
  return lastDigest;
}

/** The token from an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
