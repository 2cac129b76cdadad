import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AegisBlockedError, AegisRequestError, createMeter, NotUnderAegisError } from "./index.js";

let server: Server;
let url: string;
const seen: { path: string; auth: string | undefined; source: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ path: req.url ?? "", auth: req.headers.authorization, source: req.headers["x-aegis-source"] as string | undefined, body });
      const usage = body === "" ? {} : (JSON.parse(body) as { model?: string });
      res.setHeader("content-type", "application/json");
      if (req.headers.authorization !== "Bearer tok") {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: { message: "missing or wrong token" } }));
      } else if (usage.model === "bad") {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: { message: "input_tokens: expected a non-negative integer, received -1 (number)" } }));
      } else if (usage.model === "blockme") {
        res.end(JSON.stringify({ action: "block", reason: "Loop detected", dimension: "loop", cost_usd: 0.01, cumulative_usd: 0.5, fatal: true, alerts: [] }));
      } else {
        res.end(JSON.stringify({ action: "allow", reason: "", dimension: "", cost_usd: 0.01, cumulative_usd: 0.5, fatal: false, alerts: [] }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

const usage = { model: "gpt-4o", input_tokens: 10, output_tokens: 2 };

describe("createMeter", () => {
  it("says clearly when the process is not under aegis run", () => {
    expect(() => createMeter({ url: "", token: "" })).toThrow(NotUnderAegisError);
    expect(() => createMeter({ url: "", token: "" })).toThrow(/not running under `aegis run` \(AEGIS_URL and AEGIS_TOKEN are not set\)/);
    expect(() => createMeter({ url, token: "" })).toThrow(/AEGIS_TOKEN is not set/);
  });

  it("records with the bearer token and returns the decision", async () => {
    const meter = createMeter({ url: `${url}/`, token: "tok" });
    const decision = await meter.record(usage);
    expect(decision.action).toBe("allow");
    expect(seen.at(-1)).toMatchObject({ path: "/v1/record", auth: "Bearer tok", source: "client" });
    expect(JSON.parse(seen.at(-1)?.body ?? "")).toEqual(usage);
    await meter.check(usage);
    expect(seen.at(-1)?.path).toBe("/v1/check");
  });

  it("throws a typed error carrying the decision on block", async () => {
    const meter = createMeter({ url, token: "tok" });
    const error = await meter.record({ ...usage, model: "blockme" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AegisBlockedError);
    expect(error).toMatchObject({ dimension: "loop", reason: "Loop detected", fatal: true, cumulativeUsd: 0.5 });
  });

  it("surfaces 400 and 401 messages", async () => {
    await expect(createMeter({ url, token: "tok" }).record({ ...usage, model: "bad" })).rejects.toThrow(/aegis answered 400: input_tokens/);
    const error = await createMeter({ url, token: "wrong" }).record(usage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AegisRequestError);
    expect((error as AegisRequestError).status).toBe(401);
  });

  it("reports an unreachable aegis", async () => {
    await expect(createMeter({ url: "http://127.0.0.1:1", token: "tok" }).record(usage)).rejects.toThrow(/cannot reach aegis/);
  });
});
