import { describe, expect, it } from "vitest";
import { getEncoding } from "js-tiktoken";
import {
  DEFAULT_MAX_OUTPUT_TOKENS,
  IMAGE_MAX_TOKENS,
  MEDIA_MIN_TOKENS,
  REFERENCED_FILE_TOKENS,
  SERVER_STATE_TOKENS,
  outputTokenBound,
  promptTokenBound,
} from "./estimate.js";

// Exact tokenizers (test-only; far too slow to load on the hot path) to check the bound against.
const encoders = [getEncoding("o200k_base"), getEncoding("cl100k_base")];

const SAMPLES: Record<string, string> = {
  english: "The quick brown fox jumps over the lazy dog. ".repeat(40),
  chinese: "人工智能代理的预算控制需要在调用之前估算最坏情况的成本。".repeat(30),
  japanese: "エージェントの予算を守るために、呼び出しの前に最悪のケースを見積もります。".repeat(30),
  arabic: "يجب أن يحترم الوكيل الميزانية المحددة قبل كل استدعاء للنموذج. ".repeat(30),
  hindi: "एजेंट को हर कॉल से पहले बजट की सीमा का पालन करना चाहिए। ".repeat(30),
  emoji: "🚀🔥💸🤖✅❌🧠📈 ".repeat(60),
  rareCjk: "𠀀𠀁𠀂𪚥𩸽𠮷龘齉".repeat(50),
  code: `export async function main(argv: string[]): Promise<number> {\n  const { x = 1, ...rest } = parse(argv);\n  if (x >>> 2 !== 0) return rest.length ?? -1;\n  return 0;\n}\n`.repeat(20),
  json: JSON.stringify({ a: [1, 2, 3], b: { c: "d\\n\\t", e: null }, f: 1.5e-7 }).repeat(40),
  base64: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)).toString("base64"),
  whitespace: "a  \n\n\t\t   b".repeat(200),
  mixed: "Résumé naïve café — “quotes” ñ ß ø Ω ∑ ∫ √ ≈ ≠ ".repeat(40),
};

function chatBody(text: string): { body: unknown; bytes: number } {
  const body = { model: "gpt-4o", messages: [{ role: "system", content: "You are terse." }, { role: "user", content: text }] };
  return { body, bytes: Buffer.byteLength(JSON.stringify(body)) };
}

describe("promptTokenBound", () => {
  for (const [name, text] of Object.entries(SAMPLES)) {
    it(`never under-counts ${name} text (o200k and cl100k, chat overhead included)`, () => {
      const { body, bytes } = chatBody(text);
      const bound = promptTokenBound(bytes, body);
      for (const enc of encoders) {
        // The chat format adds ~3 tokens per message and 3 to prime the reply.
        const exact = enc.encode("You are terse.").length + enc.encode(text).length + 2 * 4 + 3;
        expect(bound).toBeGreaterThanOrEqual(exact);
      }
      // The bare UTF-8 byte count of the text alone already bounds its tokens.
      for (const enc of encoders) expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(enc.encode(text).length);
    });
  }

  it("replaces a large inline image by the image cap, and a small one by the media minimum", () => {
    const big = "A".repeat(400_000);
    const body = { messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: `data:image/png;base64,${big}` } }] }] };
    const bytes = Buffer.byteLength(JSON.stringify(body));
    const urlLength = `data:image/png;base64,${big}`.length;
    expect(promptTokenBound(bytes, body)).toBe(bytes - urlLength + IMAGE_MAX_TOKENS);

    const tiny = { contents: [{ parts: [{ inlineData: { mimeType: "image/png", data: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==" } }] }] };
    const tinyBytes = Buffer.byteLength(JSON.stringify(tiny));
    expect(promptTokenBound(tinyBytes, tiny)).toBe(tinyBytes - 96 + MEDIA_MIN_TOKENS);
  });

  it("keeps non-image inline media (audio, PDF) at no less than its byte length", () => {
    const data = "B".repeat(10_000);
    const body = { messages: [{ role: "user", content: [{ type: "document", source: { type: "base64", media_type: "application/pdf", data } }] }] };
    const bytes = Buffer.byteLength(JSON.stringify(body));
    expect(promptTokenBound(bytes, body)).toBe(bytes);
  });

  it("adds allowances for media named by reference and for server-side state", () => {
    const body = {
      previous_response_id: "resp_1",
      input: [
        { role: "user", content: [{ type: "input_image", image_url: "https://example.com/cat.png" }, { type: "input_file", file_id: "file-1" }] },
      ],
    };
    const bytes = Buffer.byteLength(JSON.stringify(body));
    expect(promptTokenBound(bytes, body)).toBe(bytes + SERVER_STATE_TOKENS + IMAGE_MAX_TOKENS + REFERENCED_FILE_TOKENS);
    const anthropic = { messages: [{ role: "user", content: [{ type: "image", source: { type: "url", url: "https://x/y.jpg" } }] }] };
    const aBytes = Buffer.byteLength(JSON.stringify(anthropic));
    expect(promptTokenBound(aBytes, anthropic)).toBe(aBytes + IMAGE_MAX_TOKENS);
  });

  it("counts short `data` strings as plain text", () => {
    const body = { messages: [{ role: "tool", content: [{ data: "short" }] }] };
    const bytes = Buffer.byteLength(JSON.stringify(body));
    expect(promptTokenBound(bytes, body)).toBe(bytes);
  });
});

describe("outputTokenBound", () => {
  it("takes the request's limit, capped by the model's, times the choices", () => {
    expect(outputTokenBound(1000, 4096)).toBe(1000);
    expect(outputTokenBound(100_000, 4096)).toBe(4096);
    expect(outputTokenBound(undefined, 4096, 3)).toBe(3 * 4096);
    expect(outputTokenBound(500, undefined)).toBe(500);
  });

  it("falls back to the documented default when neither is known", () => {
    expect(outputTokenBound(undefined, undefined)).toBe(DEFAULT_MAX_OUTPUT_TOKENS);
  });
});
