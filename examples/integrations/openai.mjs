// OpenAI SDK: check before the call, record the exact usage after (cached and reasoning tokens included).
import OpenAI from "openai";
import { createTracker } from "aegis-governor/integrations";
import { openaiMeter } from "aegis-governor/integrations/openai";

const tracker = createTracker({ config: { cost: { per_session_limit_usd: 5 }, agents: { researcher: {} } } });
const meter = openaiMeter(tracker, { agentId: "researcher" });
const openai = new OpenAI();

const params = { model: "gpt-4o", messages: [{ role: "user", content: "Name three uses of graphite." }] };
await meter.check(params); // throws AegisBlockedError before any money is spent
const completion = await openai.chat.completions.create(params);
const decision = await meter.record(completion, params);
console.log(`chat: $${decision.cost_usd} (${decision.action})`);

// Streams carry usage only when asked for it.
const streamed = { ...params, stream: true, stream_options: { include_usage: true } };
await meter.check(streamed);
const chunks = [];
for await (const chunk of await openai.chat.completions.create(streamed)) chunks.push(chunk);
console.log(`stream: $${(await meter.recordStream(chunks, streamed)).cost_usd}`);
