// Session ids: sortable by start time and unique across machines ("20261128-194807-3f9a1c2b").
import { randomBytes } from "node:crypto";

/** A new session id for a session starting at `now` (ms since the epoch, UTC). */
export function newSessionId(now: number): string {
  const iso = new Date(now).toISOString(); // 2026-11-28T19:48:07.123Z
  const stamp = `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
  return `${stamp}-${randomBytes(4).toString("hex")}`;
}
