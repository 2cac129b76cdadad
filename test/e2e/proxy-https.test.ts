// End-to-end over TLS, as against the real APIs: `aegis run` proxies the official openai SDK to an
// https:// upstream (a TLS terminator in front of the fake upstream, with a self-signed test-only
// certificate that aegis trusts through NODE_EXTRA_CA_CERTS). Kept-alive TLS connections,
// streamed and non-streamed answers, exact usage in the ledger.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { createServer as createTlsServer, type Server } from "node:tls";
import { join } from "node:path";
import type { DecisionLine } from "../../src/ledger/entry.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream.js";
import { AGENTS, REPO, jsonLines, runAegis, scratch } from "../helpers/run-aegis.js";

// Test-only key pair for 127.0.0.1 (openssl req -x509, prime256v1, valid until 2126).
const TLS_DIR = join(REPO, "test", "fixtures", "tls");
const CERT = join(TLS_DIR, "upstream-cert.pem");

let fake: FakeUpstream;
let terminator: Server;
let httpsUrl: string;
let tlsConnections = 0;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  fake = await startFakeUpstream();
  const fakePort = Number(new URL(fake.url).port);
  terminator = createTlsServer({ key: readFileSync(join(TLS_DIR, "upstream-key.pem")), cert: readFileSync(CERT) }, (socket) => {
    tlsConnections++;
    const plain: Socket = connect(fakePort, "127.0.0.1");
    socket.on("error", () => plain.destroy());
    plain.on("error", () => socket.destroy());
    socket.pipe(plain).pipe(socket);
  });
  await new Promise<void>((r) => terminator.listen(0, "127.0.0.1", r));
  const address = terminator.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  httpsUrl = `https://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await new Promise((r) => terminator.close(r));
  await fake.close();
});
beforeEach(() => ({ dir, cleanup } = scratch()));
afterEach(() => cleanup());

describe("aegis run → https upstream", () => {
  it("meters chat and streamed chat over kept-alive TLS connections", async () => {
    fake.reset({ usage: { input: 900, cached: 100, output: 200 }, text: "Over TLS." });
    tlsConnections = 0;
    const r = await runAegis({
      dir,
      config: `proxy:\n  openai: { upstream: "${httpsUrl}/v1" }\n`,
      env: { OPENAI_API_KEY: "sk-test-0123456789abcdef", NODE_EXTRA_CA_CERTS: CERT },
      agent: [process.execPath, join(AGENTS, "openai-sdk-agent.mjs"), "chat", "chat-stream", "chat"],
    });
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines<{ text?: string }>(r.stdout).map((s) => s.text)).toEqual(["Over TLS.", "Over TLS.", "Over TLS."]);
    const ds = r.ledger.filter((l): l is DecisionLine => l.type === "decision");
    expect(ds.map((d) => [d.model, d.tokens.input, d.tokens.cache_read, d.tokens.output, d.estimated])).toEqual([
      ["gpt-4o", 900, 100, 200, undefined],
      ["gpt-4o-mini", 900, 100, 200, undefined],
      ["gpt-4o", 900, 100, 200, undefined],
    ]);
    // Sequential calls share one kept-alive TLS connection.
    expect(tlsConnections).toBe(1);
  });

  it("an upstream certificate aegis does not trust is a 502 naming the TLS problem, and nothing is billed", async () => {
    fake.reset();
    const r = await runAegis({
      dir,
      config: `proxy:\n  openai: { upstream: "${httpsUrl}/v1" }\n`,
      env: { OPENAI_API_KEY: "sk-test-0123456789abcdef" },
      agent: [process.execPath, join(AGENTS, "openai-sdk-agent.mjs"), "chat"],
    });
    const steps = jsonLines<{ error?: { status: number | null; message: string } }>(r.stdout);
    expect(steps[0]?.error?.status).toBe(502);
    expect(steps[0]?.error?.message).toMatch(/cannot reach the openai upstream https:\/\/127\.0\.0\.1:\d+ \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
    expect(r.ledger.filter((l) => l.type === "decision")).toHaveLength(0);
  });
});
