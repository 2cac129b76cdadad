// Redis URLs as they may be shown (kept apart from ./redis-store.ts so naming a Redis store does
// not load ioredis).

/** The URL as it may be shown: the password replaced by `***`. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//***@");
  }
}
