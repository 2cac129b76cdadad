// The x-aegis-overhead-ms response header: aegis's own time on a proxied call, without the
// upstream's. With an upstream that takes 300 ms, the header must be present on streamed and
// non-streamed answers, parse as milliseconds, and leave those 300 ms out.
import { describe, expect, it } from "vitest";
import { useProxySuite } from "../helpers/proxy-suite.js";

const suite = useProxySuite();

describe("x-aegis-overhead-ms", () => {
  it.each([false, true])("is aegis's own time, not the upstream's (stream: %s)", async (stream) => {
    suite.fake.reset({ latencyMs: 300 });
    const session = await suite.open();
    const started = performance.now();
    const res = await fetch(`${session.server.proxyUrls.openai}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-test-0123456789" },
      body: JSON.stringify({ model: "gpt-4o", max_tokens: 20, stream, messages: [{ role: "user", content: "hi" }] }),
    });
    await res.text();
    const total = performance.now() - started;
    const header = res.headers.get("x-aegis-overhead-ms");
    expect(header).toMatch(/^\d+\.\d{3}$/);
    const overhead = Number(header);
    expect(total).toBeGreaterThanOrEqual(300);
    expect(overhead).toBeGreaterThan(0);
    // The upstream's 300 ms are not aegis's: what is left is admission and relaying, far below it.
    expect(overhead).toBeLessThan(total - 250);
  });
});
