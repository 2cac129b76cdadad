import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bodyText } from "./request-body.js";

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
