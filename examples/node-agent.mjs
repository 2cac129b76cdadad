// A Node agent metered with the aegis client. Run it with:
//   aegis run -- node examples/node-agent.mjs
// It stands in for a real agent: instead of calling an LLM it reports the usage a real call
// would return (your code passes `response.usage`). aegis prices each call, enforces the
// limits of aegis.yaml and prints who spent what when the agent exits.
import { meter, AegisBlockedError, NotUnderAegisError } from "aegis-governor/client";

// What three steps of an agent might cost: a plan, a tool-using step, a summary.
const calls = [
  { model: "gpt-4o", input_tokens: 1200, output_tokens: 350, action_type: "plan" },
  { model: "gpt-4o-mini", input_tokens: 5400, output_tokens: 800, cached_tokens: 4096, action_type: "tool" },
  { model: "claude-sonnet-4", input_tokens: 2500, output_tokens: 600, action_type: "summarise" },
];

try {
  for (const usage of calls) {
    // Pre-flight: would this call be allowed? (records nothing)
    await meter.check(usage);
    // ... call the LLM here ...
    const decision = await meter.record(usage);
    console.log(`${usage.action_type}: ${usage.model} cost $${decision.cost_usd.toFixed(6)}, session total $${decision.cumulative_usd.toFixed(6)} (${decision.action})`);
  }
} catch (error) {
  if (error instanceof NotUnderAegisError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof AegisBlockedError) {
    console.error(`stopped by aegis: ${error.reason}`);
    process.exit(1);
  }
  throw error;
}
