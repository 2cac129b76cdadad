import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ASCII_DECODE_LIMIT, bodyText } from "./request-body.js";

describe("bodyText", () => {
  it("decodes ASCII, UTF-8 and invalid bytes exactly as UTF-8 decoding does", () => {
    const samples = [
      Buffer.from('{"model":"gpt-4o","messages":[{"role":"user","content":"hi\\u00e9"}]}'),
      Buffer.from('{"content":"café — 日本語 🚀"}'),
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      Buffer.alloc(0),
      ...Array.from({ length: 50 }, () => randomBytes(64)),
    ];
    for (const raw of samples) expect(bodyText(raw)).toBe(raw.toString("utf8"));
    expect(bodyText(Buffer.from('{"content":"café"}'))).toBe('{"content":"café"}');
  });
});

describe("bodyText around ASCII_DECODE_LIMIT", () => {
  it("gives the UTF-8 decoding of ASCII bodies just under, at and over the limit", () => {
    for (const size of [ASCII_DECODE_LIMIT - 1, ASCII_DECODE_LIMIT, ASCII_DECODE_LIMIT + 1, 2 * ASCII_DECODE_LIMIT]) {
      const raw = Buffer.alloc(size, "a");
      raw[size - 1] = 0x7a;
      expect(bodyText(raw)).toBe(raw.toString("utf8"));
    }
  });
});
