// Google Gen AI SDK: the model is read from the response (modelVersion); thinking tokens bill as output.
import { GoogleGenAI } from "@google/genai";
import { createTracker } from "aegis-governor/integrations";
import { googleMeter } from "aegis-governor/integrations/google";

const tracker = createTracker({ config: { cost: { daily_budget_usd: 20 } } });
const meter = googleMeter(tracker, { agentId: "summariser" });
const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });

const params = { model: "gemini-2.5-flash", contents: "Summarise the water cycle in one sentence." };
await meter.check(params);
const response = await ai.models.generateContent(params);
console.log(`${response.modelVersion}: $${(await meter.record(response, params)).cost_usd}`);

await meter.check(params);
const chunks = [];
for await (const chunk of await ai.models.generateContentStream(params)) chunks.push(chunk);
console.log(`stream: $${(await meter.recordStream(chunks, params)).cost_usd}`);
