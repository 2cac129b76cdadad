import { describe, expect, it } from "vitest";
import { SseParser, type SseEvent } from "./sse.js";

function parseAll(chunks: (string | Uint8Array)[]): SseEvent[] {
  const p = new SseParser();
  const out: SseEvent[] = [];
  const on = (e: SseEvent) => out.push(e);
  for (const c of chunks) {
    if (typeof c === "string") p.push(c, on);
    else p.pushBytes(c, on);
  }
  p.end(on);
  return out;
}

const withData = (events: SseEvent[]) => events.filter((e) => e.data !== "" || e.event !== undefined);

const OPENAI = 'data: {"id":"1","choices":[{"delta":{"content":"héllo ✓ 😀"}}]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":5}}\n\ndata: [DONE]\n\n';
const ANTHROPIC_CRLF =
  'event: message_start\r\ndata: {"type":"message_start","message":{"usage":{"input_tokens":3}}}\r\n\r\n' +
  ": keep-alive comment\r\n\r\n" +
  'event: message_delta\r\ndata: {"type":"message_delta",\r\ndata: "usage":{"output_tokens":7}}\r\n\r\n';

describe("SseParser", () => {
  it("parses data-only events ending in [DONE]", () => {
    const events = withData(parseAll([OPENAI]));
    expect(events.map((e) => e.data)).toEqual([
      '{"id":"1","choices":[{"delta":{"content":"héllo ✓ 😀"}}]}',
      '{"choices":[],"usage":{"prompt_tokens":5}}',
      "[DONE]",
    ]);
    expect(events.every((e) => e.event === undefined)).toBe(true);
  });

  it("parses named events, CRLF framing, multi-line data and skips comments' content", () => {
    const events = withData(parseAll([ANTHROPIC_CRLF]));
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ["message_start", '{"type":"message_start","message":{"usage":{"input_tokens":3}}}'],
      ["message_delta", '{"type":"message_delta",\n"usage":{"output_tokens":7}}'],
    ]);
  });

  it("re-emitting every event's raw text reproduces the stream exactly", () => {
    for (const text of [OPENAI, ANTHROPIC_CRLF]) {
      expect(parseAll([text]).map((e) => e.raw).join("")).toBe(text);
    }
  });

  it("gives the same events whatever byte offset the stream is split at (UTF-8 and CRLF included)", () => {
    for (const text of [OPENAI, ANTHROPIC_CRLF]) {
      const bytes = Buffer.from(text);
      const whole = parseAll([bytes]);
      for (let i = 0; i <= bytes.length; i++) {
        const split = parseAll([bytes.subarray(0, i), bytes.subarray(i)]);
        expect(split, `split at ${i}`).toEqual(whole);
      }
    }
  });

  it("handles a stream delivered one byte at a time", () => {
    const bytes = Buffer.from(ANTHROPIC_CRLF + OPENAI);
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    expect(parseAll(chunks)).toEqual(parseAll([bytes]));
  });

  it("treats a lone CR as a line end, and a CR at a chunk's end waits for a possible LF", () => {
    expect(withData(parseAll(["data: a\r\r", "data: b\r", "\n\r\n"])).map((e) => e.data)).toEqual(["a", "b"]);
    expect(withData(parseAll(["data: a\r", "\r"])).map((e) => e.data)).toEqual(["a"]);
  });

  it("dispatches a last event that lacks its blank line when the stream ends", () => {
    expect(withData(parseAll(['data: {"usageMetadata":{}}'])).map((e) => e.data)).toEqual(['{"usageMetadata":{}}']);
    expect(withData(parseAll(["data: x\r"])).map((e) => e.data)).toEqual(["x"]);
  });

  it("strips one leading space from values and accepts fields without a space or value", () => {
    expect(parseAll(["data:x\nevent:e\n\ndata\n\n"]).map((e) => [e.event, e.data, e.raw])).toEqual([
      ["e", "x", "data:x\nevent:e\n\n"],
      [undefined, "", "data\n\n"],
    ]);
  });
});
