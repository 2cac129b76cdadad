// Four cooperating agents in one process, each call attributed with agent_id. Run it with:
//   aegis run --config examples/multi-agent/aegis.yaml -- node examples/multi-agent/agents.mjs
// The researcher exhausts its own budget and is blocked; the others finish their work.
import { meter, AegisBlockedError } from "aegis-governor/client";

async function call(agent_id, model, input_tokens, output_tokens, action_type) {
  try {
    const d = await meter.record({ agent_id, model, input_tokens, output_tokens, action_type });
    console.log(`${agent_id.padEnd(12)} ${action_type.padEnd(10)} $${d.cost_usd.toFixed(4)}  ${d.action}${d.reason ? `: ${d.reason}` : ""}`);
  } catch (error) {
    if (!(error instanceof AegisBlockedError)) throw error;
    console.log(`${agent_id.padEnd(12)} ${action_type.padEnd(10)} blocked: ${error.reason}`);
  }
}

await call("orchestrator", "gpt-4o", 3000, 500, "plan");
for (let source = 1; source <= 4; source++) await call("researcher", "gpt-4o", 6000, 800, `source-${source}`);
await call("writer", "claude-sonnet-4", 8000, 2000, "draft");
await call("reviewer", "gpt-4o-mini", 10000, 600, "review");
await call("writer", "claude-sonnet-4", 6000, 1000, "revise");
await call("orchestrator", "gpt-4o", 2000, 300, "wrap-up");
