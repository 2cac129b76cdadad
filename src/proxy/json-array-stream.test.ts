import { describe, expect, it } from "vitest";
import { JsonArraySplitter } from "./json-array-stream.js";

const STREAM =
  '[{"candidates":[{"content":{"parts":[{"text":"a \\"quoted\\" ] } [ {  ✓"}]}}]}\r\n,' +
  '{"candidates":[],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":2}}\r\n]';

function split(chunks: Uint8Array[]): string[] {
  const s = new JsonArraySplitter();
  const out: string[] = [];
  for (const c of chunks) s.pushBytes(c, (t) => out.push(t));
  s.end((t) => out.push(t));
  return out;
}

describe("JsonArraySplitter", () => {
  it("emits each element of a streamed array, strings with brackets and escapes included", () => {
    const out = split([Buffer.from(STREAM)]);
    expect(out.map((t) => JSON.parse(t) as unknown)).toEqual(JSON.parse(STREAM));
  });

  it("gives the same elements whatever byte offset the stream is split at", () => {
    const bytes = Buffer.from(STREAM);
    const whole = split([bytes]);
    for (let i = 0; i <= bytes.length; i++) {
      expect(split([bytes.subarray(0, i), bytes.subarray(i)]), `split at ${i}`).toEqual(whole);
    }
    expect(split([...bytes].map((b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it("drops an element cut off by the end of the stream", () => {
    expect(split([Buffer.from('[{"a":1},{"b":')])).toEqual(['{"a":1}']);
  });
});
