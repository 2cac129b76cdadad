// "Did you mean …?" for misspelt keys, by edit distance over the keys the mapping allows.
import { distance } from "fastest-levenshtein";

/** The allowed key closest to `key` when it is close enough to be a likely typo, else undefined. */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  // Tolerate about one edit in three characters (and at least two edits): "budgte_usd" → "budget_usd".
  const tolerance = Math.max(2, Math.floor(key.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of allowed) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= tolerance) return best;
  // A key cut short or run on ("budget" for "budget_usd") is a likely slip too.
  if (lower.length >= 3) return allowed.find((candidate) => candidate.startsWith(lower) || lower.startsWith(candidate));
  return undefined;
}
