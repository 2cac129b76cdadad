import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createUpstreamClient, UpstreamCut, UpstreamRequestError, type UpstreamClient } from "./client.js";

let server: Server | undefined;
let client: UpstreamClient | undefined;

afterEach(async () => {
  await client?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  client = undefined;
});

// A loopback upstream whose handler the test controls; also counts the sockets it saw.
async function upstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ origin: string; sockets: () => number }> {
  let sockets = 0;
  server = createServer({ keepAlive: true }, handler);
  server.on("connection", () => sockets++);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  client = createUpstreamClient();
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets: () => sockets };
}

const readAll = async (body: Readable): Promise<string> => {
  let text = "";
  for await (const chunk of body) text += String(chunk);
  return text;
};

describe("UpstreamCut", () => {
  it("cuts a request still waiting for its answer, as an AbortError the caller can tell apart", async () => {
    const u = await upstream(() => undefined); // never answers
    const cut = new UpstreamCut();
    const pending = client!.request(u.origin, { method: "POST", path: "/x", headers: {}, body: Buffer.from("{}"), cut });
    setTimeout(() => cut.abort(), 50);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamRequestError);
    expect((error as UpstreamRequestError).code).toBe("ABORT_ERR");
  });

  it("cuts a request aborted before it was made", async () => {
    const u = await upstream((_req, res) => res.end("ok"));
    const cut = new UpstreamCut();
    cut.abort();
    const error = await client!.request(u.origin, { method: "GET", path: "/x", headers: {}, cut }).catch((e: unknown) => e);
    expect((error as UpstreamRequestError).code).toBe("ABORT_ERR");
  });

  it("cuts a response mid-body", async () => {
    const u = await upstream((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first");
    });
    const cut = new UpstreamCut();
    const answer = await client!.request(u.origin, { method: "GET", path: "/x", headers: {}, cut });
    const ended = new Promise<string>((resolve) => {
      answer.body.once("end", () => resolve("end"));
      answer.body.once("close", () => resolve("close"));
    });
    answer.body.resume();
    setTimeout(() => cut.abort(), 50);
    expect(await ended).toBe("close");
  });

  it("does nothing once its request is over, though the kept-alive socket now serves another", async () => {
    let release: (() => void) | undefined;
    const u = await upstream((req, res) => {
      if (req.url === "/first") res.end("one");
      else release = () => res.end("two");
    });
    const cut = new UpstreamCut();
    const first = await client!.request(u.origin, { method: "GET", path: "/first", headers: {}, cut });
    expect(await readAll(first.body)).toBe("one");
    await new Promise((resolve) => setTimeout(resolve, 20)); // the socket goes back to the pool
    const second = client!.request(u.origin, { method: "GET", path: "/second", headers: {} });
    await new Promise((resolve) => setTimeout(resolve, 50));
    cut.abort();
    release?.();
    const answer = await second;
    expect(await readAll(answer.body)).toBe("two");
    expect(u.sockets()).toBe(1);
  });
});
