// S3 (usage capture, a sanity check of the whole bench): one call of every provider and framing
// through aegis. The harness then checks the ledger: every proxied call left exactly one decision
// line carrying the mock's fixed token counts (bench/mock-upstream.mjs MOCK_USAGE), not an estimate.
import { fetchText } from "../lib/http.mjs";

/** Sends each route once through aegis; resolves to { route: status }. */
export async function usageRoutes(ctx) {
  await ctx.mock({ latencyMs: 0, ttftMs: 0, chunks: 4, gapMs: 1 });
  const { openaiBase, anthropicBase, geminiBase } = ctx.env;
  const chat = (stream) => `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"usage ${stream}"}],"max_tokens":64${stream ? ',"stream":true,"stream_options":{"include_usage":true}' : ""}}`;
  const claude = (stream) => `{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"usage ${stream}"}]${stream ? ',"stream":true' : ""}}`;
  const gem = (n) => `{"contents":[{"role":"user","parts":[{"text":"usage ${n}"}]}],"generationConfig":{"maxOutputTokens":64}}`;
  const anth = { "x-api-key": "sk-bench", "anthropic-version": "2023-06-01" };
  const goog = { "x-goog-api-key": "bench" };
  const routes = {
    openai_json: [`${openaiBase}/chat/completions`, { authorization: "Bearer sk-bench" }, chat(false)],
    openai_sse: [`${openaiBase}/chat/completions`, { authorization: "Bearer sk-bench" }, chat(true)],
    anthropic_json: [`${anthropicBase}/v1/messages`, anth, claude(false)],
    anthropic_sse: [`${anthropicBase}/v1/messages`, anth, claude(true)],
    gemini_json: [`${geminiBase}/v1beta/models/gemini-2.5-flash:generateContent`, goog, gem(1)],
    gemini_sse: [`${geminiBase}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, goog, gem(2)],
    gemini_array: [`${geminiBase}/v1beta/models/gemini-2.5-flash:streamGenerateContent`, goog, gem(3)],
  };
  const out = {};
  for (const [name, [url, headers, body]] of Object.entries(routes)) {
    const r = await fetchText(undefined, url, { headers, body });
    ctx.count("via", r.status);
    out[name] = r.status === 200 ? 200 : `${r.status} ${r.text.slice(0, 200)}`;
  }
  await ctx.mock({ chunks: 64, gapMs: 20 });
  return out;
}
