// The arms of the proxy scenarios and their requests: direct (loadgen → mock), via (loadgen →
// aegis → mock, through the OPENAI_BASE_URL aegis gave this agent), floor (loadgen → a bare Node
// proxy → mock) and peer (loadgen → Portkey → mock, Portkey pointed at the mock as a custom host). Every request carries a unique prompt, as
// real agents' calls do, so aegis's loop detection (on, at its defaults) never fires.
import { keepAliveAgent } from "../lib/http.mjs";

/** The URL and headers of an OpenAI chat completion in each arm. */
export function chatArms(ctx) {
  const arms = {
    direct: { url: `${ctx.mockUrl}/v1/chat/completions`, headers: { authorization: "Bearer sk-bench" } },
    via: { url: `${ctx.env.openaiBase}/chat/completions`, headers: { authorization: "Bearer sk-bench" } },
  };
  // A bare Node pass-through proxy on aegis's CPU: what any Node proxy adds on this machine.
  if (ctx.floorUrl) arms.floor = { url: `${ctx.floorUrl}/v1/chat/completions`, headers: { authorization: "Bearer sk-bench" } };
  if (ctx.peerUrl) {
    arms.peer = {
      url: `${ctx.peerUrl}/v1/chat/completions`,
      headers: { authorization: "Bearer sk-bench", "x-portkey-provider": "openai", "x-portkey-custom-host": `${ctx.mockUrl}/v1` },
    };
  }
  return arms;
}

/** A keep-alive agent per arm, `sockets` connections each. */
export function agentsFor(arms, sockets = 1) {
  return Object.fromEntries(Object.keys(arms).map((a) => [a, keepAliveAgent(sockets)]));
}

/** Destroys the agents' sockets (between scenarios, so idle connections do not linger). */
export function closeAgents(agents) {
  for (const a of Object.values(agents)) a.destroy();
}

/** A small chat request body with a unique prompt; `pad` adds that many bytes of prompt text. */
export function chatBody(tag, i, { stream = false, pad = "" } = {}) {
  const s = stream ? ',"stream":true,"stream_options":{"include_usage":true}' : "";
  return `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"${tag} ${i}: answer in one word.${pad}"}],"max_tokens":64${s}}`;
}
