// Fingerprint of a request's content for loop detection (DESIGN §6: the same agent, model and
// prompt — not other parameters, so a retry with another temperature is still the same call).
// SHA-1 is a fast content hash here, not a security measure: a collision would only merge two
// prompts' loop counters. The content is serialised by a walk rather than JSON.stringify, which
// measured ~2× slower on a 100 KB prompt (escaping); strings carry their length so that no two
// different contents serialise alike. Object keys are taken in sorted order: the in-process
// integrations fingerprint the SDK's request objects, whose keys an SDK may write to the wire in
// another order (Google Gen AI rebuilds every Content and Part), and both must agree.
import { createHash } from "node:crypto";

// Depth guard: a hostile body cannot blow the stack (JSON.parse already bounds real nesting).
const MAX_DEPTH = 64;

// `out` receives the serialised pieces in order (an array, or a sink that hashes them in runs).
function serialise(node: unknown, out: { push(...pieces: string[]): number }, depth: number): void {
  if (typeof node === "string") {
    out.push(`s${node.length}:`, node);
  } else if (node === null || typeof node !== "object" || depth > MAX_DEPTH) {
    out.push(`v${String(node)};`);
  } else if (Array.isArray(node)) {
    out.push("[");
    for (const item of node) serialise(item, out, depth + 1);
    out.push("]");
  } else {
    out.push("{");
    const obj = node as Record<string, unknown>;
    for (const key of Object.keys(obj).sort()) {
      out.push(`k${key.length}:`, key);
      serialise(obj[key], out, depth + 1);
    }
    out.push("}");
  }
}

// Pieces are hashed in runs of about 64 KiB: joining a whole 1 MB prompt into one string first
// copied it once more and measured ~1.5× slower; one update per small piece costs more still.
const RUN = 64 * 1024;

/** A short stable hash of provider + model + the prompt content (messages/input/contents). */
export function requestFingerprint(provider: string, model: string, content: unknown): string {
  const hash = createHash("sha1");
  const out: string[] = [`p${provider.length}:`, provider, `m${model.length}:`, model];
  let size = 0;
  const sink = {
    push(...pieces: string[]): number {
      for (const piece of pieces) {
        if (piece.length >= RUN) {
          if (out.length > 0) hash.update(out.join(""));
          out.length = 0;
          size = 0;
          hash.update(piece);
        } else {
          out.push(piece);
          if ((size += piece.length) >= RUN) {
            hash.update(out.join(""));
            out.length = 0;
            size = 0;
          }
        }
      }
      return out.length;
    },
  };
  serialise(content, sink, 0);
  if (out.length > 0) hash.update(out.join(""));
  return hash.digest("base64url");
}
