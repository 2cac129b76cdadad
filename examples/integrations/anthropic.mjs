// Anthropic SDK: cache reads, 5-minute and 1-hour cache writes are each billed at their own rate.
import Anthropic from "@anthropic-ai/sdk";
import { createTracker } from "aegis-governor/integrations";
import { anthropicMeter } from "aegis-governor/integrations/anthropic";

const tracker = createTracker({ config: { cost: { per_call_limit_usd: 0.5 } } });
const meter = anthropicMeter(tracker, { agentId: "writer" });
const anthropic = new Anthropic();

const params = { model: "claude-sonnet-4-20250514", max_tokens: 1024, messages: [{ role: "user", content: "Draft a haiku about budgets." }] };
await meter.check(params);
const message = await anthropic.messages.create(params);
console.log(`message: $${(await meter.record(message, params)).cost_usd}`);

// Streaming: record the final message the SDK assembles.
await meter.check(params);
const final = await anthropic.messages.stream(params).finalMessage();
console.log(`stream: $${(await meter.record(final, params)).cost_usd}`);
