// Vercel AI SDK: a language-model middleware checks before each call and records its usage.
import { generateText, streamText, wrapLanguageModel } from "ai";
import { openai } from "@ai-sdk/openai";
import { createTracker } from "aegis-governor/integrations";
import { aegisMiddleware } from "aegis-governor/integrations/ai-sdk";

const tracker = createTracker({ config: { cost: { per_session_limit_usd: 2 }, agents: { lead: {}, critic: { parent: "lead" } } } });
const model = wrapLanguageModel({ model: openai.chat("gpt-4o"), middleware: aegisMiddleware(tracker, { agentId: "lead" }) });

const { text } = await generateText({ model, prompt: "Suggest a title for a talk on cost governance." });
console.log(`title: ${text}`);

// Per call, providerOptions.aegis.agentId charges another agent of the tree.
const critique = streamText({ model, prompt: `Critique: ${text}`, providerOptions: { aegis: { agentId: "critic" } } });
await critique.consumeStream();

console.log(`by agent ${JSON.stringify((await tracker.report()).by_agent)}`);
