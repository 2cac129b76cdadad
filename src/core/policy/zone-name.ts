// The name a daily_reset_timezone goes by in the budget store's day keys. Two spellings of one zone
// ("europe/berlin", "Europe/Berlin") must name the same day rows, and every zone whose days are the
// UTC days must keep the unqualified rows that stores written before zones were in the key hold.

/** The zone name used when no daily_reset_timezone is configured. */
export const UTC_ZONE = "UTC";

// IANA names (and links) of zones fixed at UTC+00:00 forever, lower-cased. Intl canonicalises most of
// them to "UTC", but whether it resolves links depends on the ICU/V8 version, so they are listed.
const UTC_NAMES = new Set([
  "utc", "etc/utc", "uct", "etc/uct", "universal", "etc/universal", "zulu", "etc/zulu",
  "gmt", "etc/gmt", "gmt0", "etc/gmt0", "gmt+0", "etc/gmt+0", "gmt-0", "etc/gmt-0", "greenwich", "etc/greenwich",
]);

/** True when `zone`'s calendar days are the UTC days (UTC, Etc/UTC, GMT, Zulu, …; any letter case). */
export function isUtcZone(zone: string): boolean {
  return UTC_NAMES.has(zone.toLowerCase());
}

// Resolving a name builds an Intl formatter (tens of µs): done once per name.
const canonical = new Map<string, string>();

/**
 * The name day keys and reports use for `zone`: "UTC" for every UTC name, else the IANA name in its
 * proper letter case ("europe/berlin" → "Europe/Berlin"). Links stay as written ("US/Eastern" is not
 * turned into "America/New_York"): older ICU versions resolve links and newer ones do not, and one
 * config must name the same rows on every machine of a fleet whatever its Node.js. Throws a
 * RangeError for a name that is not a time zone.
 */
export function canonicalZone(zone: string): string {
  // Every UTC name is known to Intl and named "UTC": no formatter. The first Intl.DateTimeFormat of
  // a process loads ICU's locale and zone data, ~10 ms and ~8 MB resident that `aegis run` with the
  // default zone would otherwise keep for nothing (performance.md C3, X1).
  if (isUtcZone(zone)) return UTC_ZONE;
  let name = canonical.get(zone);
  if (name === undefined) {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    if (isUtcZone(resolved)) name = UTC_ZONE;
    else name = resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
    canonical.set(zone, name);
  }
  return name;
}
