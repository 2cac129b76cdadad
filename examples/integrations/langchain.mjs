// LangChain.js: one handler meters every call of the model; a blocked call throws before it is sent.
import { ChatOpenAI } from "@langchain/openai";
import { createTracker } from "aegis-governor/integrations";
import { AegisCallbackHandler } from "aegis-governor/integrations/langchain";

const tracker = createTracker({
  config: { agents: { orchestrator: { budget_usd: 10 }, researcher: { parent: "orchestrator", budget_usd: 2 } } },
});
const model = new ChatOpenAI({ model: "gpt-4o", callbacks: [new AegisCallbackHandler(tracker, { agentId: "orchestrator" })] });

await model.invoke("Plan a literature review on solid-state batteries.");
// A sub-agent's call: charged to researcher, rolled up into orchestrator.
await model.invoke("Find five recent papers.", { metadata: { aegis_agent_id: "researcher" } });

const report = await tracker.report();
console.log(`spent $${report.spent} in ${report.call_count} calls; by agent ${JSON.stringify(report.by_agent)}`);
