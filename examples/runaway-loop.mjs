// A runaway agent: a tool call keeps failing and the agent retries the same LLM call forever,
// ignoring what aegis answers. Run it with:
//   aegis run -- node examples/runaway-loop.mjs
// Loop detection (on by default: the 5th identical call within 60 s) blocks the call, and
// because a loop means the run cannot go on, aegis stops the agent: exit code 124.
const usage = { model: "gpt-4o", input_tokens: 3000, output_tokens: 200, action_type: "retry-tool", fingerprint: "same-prompt" };

for (let attempt = 1; ; attempt++) {
  const res = await fetch(`${process.env.AEGIS_URL}/v1/record`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.AEGIS_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(usage),
  });
  const decision = await res.json();
  console.log(`attempt ${attempt}: ${decision.action}${decision.reason ? ` (${decision.reason})` : ""}`);
  await new Promise((resolve) => setTimeout(resolve, 100)); // "back off", then try again anyway
}
