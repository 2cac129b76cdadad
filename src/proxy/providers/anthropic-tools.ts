// What an Anthropic request's server tools can bill beyond its tokens, read before forwarding so
// the worst case includes it. Server tools run inside the API's own sampling loop, so the proxy
// sees one request however many times they run.
import { objectAt, stringAt } from "./fields.js";
import type { SubInferenceBound } from "./types.js";

/**
 * Web searches assumed for a web search tool that sets no `max_uses`. Anthropic documents no
 * default `max_uses` (searches "may repeat multiple times throughout a single request"); what
 * bounds them is the server-side sampling loop, which ends the response with
 * `stop_reason: "pause_turn"` when "a server-tool loop reached its iteration limit" (the
 * stop-reasons reference; guides quoting it give the default as 10 iterations — the current page
 * does not print the number). One search per iteration gives 10. A turn that fanned several
 * searches out in one iteration could exceed it: the settlement always bills the real
 * `server_tool_use.web_search_requests`, and a request that sets `max_uses` is bounded exactly.
 */
export const DEFAULT_WEB_SEARCHES_PER_REQUEST = 10;

/**
 * Advisor runs assumed for an advisor tool that sets no `max_uses`: the same bound as searches.
 * Each advisor call is a server-tool call inside the same sampling loop, and Anthropic documents
 * no default `max_uses` for it either.
 */
export const DEFAULT_ADVISOR_USES_PER_REQUEST = DEFAULT_WEB_SEARCHES_PER_REQUEST;

/** A request's `max_uses`: a non-negative number (rounded up), else undefined. */
function maxUses(tool: Record<string, unknown>): number | undefined {
  const v = tool.max_uses;
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.ceil(v) : undefined;
}

/**
 * The most web searches a request can bill: for each web search tool it offers (`type`
 * "web_search_20250305", "web_search_20260209" or any later "web_search_*"), its `max_uses`, else
 * DEFAULT_WEB_SEARCHES_PER_REQUEST. 0 when it offers none.
 */
export function webSearchBound(tools: unknown): number {
  if (!Array.isArray(tools)) return 0;
  let total = 0;
  for (const entry of tools) {
    const tool = objectAt(entry);
    const type = stringAt(tool?.type);
    if (tool === undefined || type === undefined || !type.startsWith("web_search_")) continue;
    total += maxUses(tool) ?? DEFAULT_WEB_SEARCHES_PER_REQUEST;
  }
  return total;
}

/**
 * The advisor tools a request offers (`type` "advisor_20260301" or any later "advisor_*"): the
 * advisor model (its `model`; "" when absent, so it cannot be priced), its `max_uses` (else
 * DEFAULT_ADVISOR_USES_PER_REQUEST), its `max_tokens` output cap, and the cache writes its
 * `caching` asks for (`ttl: "1h"`, else 5-minute ones).
 */
export function advisorBounds(tools: unknown): SubInferenceBound[] {
  if (!Array.isArray(tools)) return [];
  const bounds: SubInferenceBound[] = [];
  for (const entry of tools) {
    const tool = objectAt(entry);
    const type = stringAt(tool?.type);
    if (tool === undefined || type === undefined || !type.startsWith("advisor_")) continue;
    const cap = tool.max_tokens;
    const caching = objectAt(tool.caching);
    bounds.push({
      model: stringAt(tool.model) ?? "",
      uses: maxUses(tool) ?? DEFAULT_ADVISOR_USES_PER_REQUEST,
      maxOutputTokens: typeof cap === "number" && Number.isFinite(cap) && cap > 0 ? Math.ceil(cap) : undefined,
      cacheWrites: caching === undefined ? "none" : caching.ttl === "1h" ? "1h" : "5m",
    });
  }
  return bounds;
}
