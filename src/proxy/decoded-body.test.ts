import { describe, expect, it } from "vitest";
import * as zlib from "node:zlib";
import { BodyDecoder, bodyCoding } from "./decoded-body.js";

const TEXT = `data: ${JSON.stringify({ usage: { prompt_tokens: 40, completion_tokens: 12 }, text: "héllo ✓ ".repeat(500) })}\n\n`;
const hasZstd = typeof Reflect.get(zlib, "createZstdDecompress") === "function";

// Decodes `bytes` fed in pieces of `size` bytes; returns the text and the failure, if any.
async function decode(codings: string[], bytes: Buffer, size = bytes.length, maxOutput?: number): Promise<{ text: string; failure: string | undefined }> {
  const out: Buffer[] = [];
  const failures: string[] = [];
  const decoder = new BodyDecoder(codings, (c) => out.push(c), { ...(maxOutput !== undefined ? { maxOutput } : {}), onFailure: (why) => failures.push(why) });
  for (let i = 0; i < bytes.length; i += size) decoder.write(bytes.subarray(i, i + size));
  await decoder.end();
  // onFailure is told once, the same reason as `failure`.
  expect(failures).toEqual(decoder.failure === undefined ? [] : [decoder.failure]);
  return { text: Buffer.concat(out).toString("utf8"), failure: decoder.failure };
}

describe("bodyCoding", () => {
  it("reads the content-encoding header: none, identity, known codings in the order to undo them", () => {
    expect(bodyCoding(undefined)).toEqual({ kind: "identity" });
    expect(bodyCoding("")).toEqual({ kind: "identity" });
    expect(bodyCoding(" Identity ")).toEqual({ kind: "identity" });
    expect(bodyCoding("GZIP")).toEqual({ kind: "decode", codings: ["gzip"] });
    expect(bodyCoding("x-gzip")).toEqual({ kind: "decode", codings: ["x-gzip"] });
    expect(bodyCoding("deflate, br")).toEqual({ kind: "decode", codings: ["br", "deflate"] });
    expect(bodyCoding(["gzip", "br"])).toEqual({ kind: "decode", codings: ["br", "gzip"] });
  });

  it("names the first coding this Node cannot decode", () => {
    expect(bodyCoding("gzip, compress")).toEqual({ kind: "unsupported", coding: "compress" });
    expect(bodyCoding("zstd")).toEqual(hasZstd ? { kind: "decode", codings: ["zstd"] } : { kind: "unsupported", coding: "zstd" });
  });
});

describe("BodyDecoder", () => {
  const input = Buffer.from(TEXT, "utf8");

  it.each([
    ["gzip", zlib.gzipSync(input)],
    ["br", zlib.brotliCompressSync(input)],
    ["deflate (zlib-wrapped)", zlib.deflateSync(input)],
    ["deflate (raw, as some servers send it)", zlib.deflateRawSync(input)],
  ])("decodes %s fed whole, in 1-byte and in 7-byte pieces", async (name, bytes) => {
    const coding = name.split(" ")[0] ?? "";
    for (const size of [bytes.length, 1, 7]) {
      expect(await decode([coding], bytes, size)).toEqual({ text: TEXT, failure: undefined });
    }
  });

  it("undoes stacked codings in order (content-encoding: gzip, br)", async () => {
    const coding = bodyCoding("gzip, br");
    expect(coding.kind).toBe("decode");
    const bytes = zlib.brotliCompressSync(zlib.gzipSync(input));
    expect(await decode(coding.kind === "decode" ? coding.codings : [], bytes, 100)).toEqual({ text: TEXT, failure: undefined });
  });

  it("decodes concatenated gzip members (a stream flushed member by member)", async () => {
    const bytes = Buffer.concat([zlib.gzipSync(Buffer.from("data: a\n\n")), zlib.gzipSync(Buffer.from("data: b\n\n"))]);
    expect(await decode(["gzip"], bytes, 5)).toEqual({ text: "data: a\n\ndata: b\n\n", failure: undefined });
  });

  it("reports a corrupt gzip stream instead of throwing, and stops", async () => {
    const bytes = zlib.gzipSync(input);
    bytes.fill(0x55, 20, 60);
    const r = await decode(["gzip"], bytes, 16);
    expect(r.failure).toMatch(/^its gzip body could not be decoded \(Z_DATA_ERROR\)$/);
  });

  it("reports a truncated body, garbage labelled br, and a one-byte deflate body", async () => {
    expect((await decode(["gzip"], zlib.gzipSync(input).subarray(0, 100))).failure).toMatch(/gzip body could not be decoded/);
    expect((await decode(["br"], Buffer.from("not brotli at all, just text"))).failure).toMatch(/br body could not be decoded/);
    expect((await decode(["deflate"], Buffer.from([0x78]))).failure).toMatch(/deflate body could not be decoded/);
  });

  it("stops once the decoded size exceeds its bound (a decompression bomb)", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    const r = await decode(["gzip"], bomb, bomb.length, 64 * 1024);
    expect(r.failure).toBe(`its decoded body exceeds ${64 * 1024} bytes`);
    expect(r.text.length).toBeLessThanOrEqual(64 * 1024);
  });

  it("an empty body decodes to nothing, without failure", async () => {
    expect(await decode(["gzip"], Buffer.alloc(0))).toEqual({ text: "", failure: undefined });
  });
});
