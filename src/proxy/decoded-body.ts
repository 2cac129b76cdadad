// Decoding of a side copy of a compressed upstream response, so its usage can be read although the
// upstream (or a gateway in between) ignored aegis's `accept-encoding: identity`. The client still
// receives the compressed bytes unchanged and decodes them itself; this copy only feeds the usage
// parsers (only an OpenAI stream whose usage chunk aegis hides is sent decoded: see relay.ts).
// Decoding runs on zlib's streaming decompressors, after each chunk has been written to the
// client, and never throws: a corrupt stream is reported as a reason, and the call is billed
// at its estimate.
import * as zlib from "node:zlib";
import { PassThrough, Transform, type TransformCallback } from "node:stream";

/** How a response body is coded: as is, decodable (codings in the order to undo them), or not. */
export type BodyCoding = { kind: "identity" } | { kind: "decode"; codings: string[] } | { kind: "unsupported"; coding: string };

// Stands in for a coding bodyCoding() would have called unsupported: fails on the first byte.
const unsupportedStage = (): Transform => new Transform({ transform: (_chunk, _enc, cb) => cb(new Error("unsupported coding")) });

// Node's zstd decompressor exists from Node 22.15/23.8 on; Node 20 has none (nor do its types).
const zstdFactory: unknown = Reflect.get(zlib, "createZstdDecompress");

// The decompressor of each content coding this Node can decode.
const DECODERS = new Map<string, () => Transform>([
  ["gzip", () => zlib.createGunzip()],
  ["x-gzip", () => zlib.createGunzip()], // RFC 9110 §8.4.1.3: the same as gzip
  ["deflate", () => new AutoInflate()],
  ["br", () => zlib.createBrotliDecompress()],
]);
if (typeof zstdFactory === "function") {
  DECODERS.set("zstd", () => {
    const stage: unknown = zstdFactory();
    return stage instanceof Transform ? stage : unsupportedStage();
  });
}

/** The coding of a body from its content-encoding header (RFC 9110 §8.4: listed in the order applied). */
export function bodyCoding(header: string | string[] | undefined): BodyCoding {
  const text = Array.isArray(header) ? header.join(",") : (header ?? "");
  const applied = text.split(",").map((c) => c.trim().toLowerCase()).filter((c) => c !== "" && c !== "identity");
  if (applied.length === 0) return { kind: "identity" };
  const unsupported = applied.find((c) => !DECODERS.has(c));
  if (unsupported !== undefined) return { kind: "unsupported", coding: unsupported };
  return { kind: "decode", codings: applied.reverse() };
}

/**
 * `deflate` as browsers read it: zlib-wrapped (RFC 1950) as the spec says, or raw deflate
 * (RFC 1951) as some servers send it — told apart by whether the first two bytes are a valid
 * zlib header (compression method 8, window ≤ 32 KiB, header checksum divisible by 31).
 */
class AutoInflate extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;
  private head: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let input = chunk;
    if (this.inner === undefined) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 2) return done();
      const cmf = this.head[0] ?? 0;
      const flg = this.head[1] ?? 0;
      const wrapped = (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
      const inner = wrapped ? zlib.createInflate() : zlib.createInflateRaw();
      inner.on("data", (d: Buffer) => this.push(d));
      inner.on("error", (e) => this.destroy(e));
      this.inner = inner;
      input = this.head;
      this.head = Buffer.alloc(0);
    }
    this.inner.write(input, () => done());
  }

  override _flush(done: TransformCallback): void {
    if (this.inner === undefined) return done(this.head.length > 0 ? new Error("unexpected end of file") : null);
    this.inner.once("end", () => done());
    this.inner.end();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.inner?.destroy();
    done(error);
  }
}

/**
 * A streaming decoder of a compressed body: `write` the bytes as they arrive, decoded bytes go to
 * `onData` in order. It never throws: the first failure stops it and is kept in `failure`.
 */
export class BodyDecoder {
  /** Why decoding stopped early (corrupt data, or more output than allowed); undefined if it did not. */
  failure: string | undefined;
  private readonly first: Transform;
  private readonly stages: Transform[];
  private readonly done: Promise<void>;
  private produced = 0;
  private written = 0;

  /** `codings` in the order to undo them (BodyCoding's); `maxOutput` bounds the decoded size. */
  constructor(codings: string[], onData: (chunk: Buffer) => void, options: { maxOutput?: number; onFailure?: (why: string) => void } = {}) {
    const maxOutput = options.maxOutput ?? Number.POSITIVE_INFINITY;
    this.stages = codings.map((c) => (DECODERS.get(c) ?? unsupportedStage)());
    if (this.stages.length === 0) this.stages.push(new PassThrough());
    const last = this.stages.reduce((prev, next) => prev.pipe(next));
    this.first = this.stages[0] ?? last;
    const fail = (why: string): void => {
      if (this.failure !== undefined) return;
      this.failure = why;
      this.destroy();
      options.onFailure?.(why);
    };
    this.stages.forEach((stage, i) => {
      stage.on("error", (e: NodeJS.ErrnoException) => fail(`its ${codings[i] ?? ""} body could not be decoded (${e.code ?? e.message})`));
    });
    last.on("data", (chunk: Buffer) => {
      if (this.failure !== undefined) return;
      this.produced += chunk.length;
      if (this.produced > maxOutput) fail(`its decoded body exceeds ${maxOutput} bytes`);
      else onData(chunk);
    });
    this.done = new Promise<void>((resolve) => {
      last.once("end", resolve);
      last.once("close", resolve);
      for (const stage of this.stages) stage.once("error", () => resolve());
    });
  }

  /** Feeds compressed bytes; false asks the producer to wait for `onDrain` (zlib's backpressure). */
  write(chunk: Buffer): boolean {
    if (this.failure !== undefined || this.first.destroyed) return true;
    this.written += chunk.length;
    return this.first.write(chunk);
  }

  /** Calls `listener` once the decoder can take more input (or has stopped). */
  onDrain(listener: () => void): void {
    if (this.failure !== undefined || this.first.destroyed) return listener();
    const once = (): void => {
      this.first.off("drain", once);
      this.first.off("close", once);
      listener();
    };
    this.first.on("drain", once);
    this.first.on("close", once);
  }

  /** Ends the input; resolves once every decoded byte was delivered, or decoding failed. */
  end(): Promise<void> {
    // An empty body decodes to nothing (zlib would call it truncated).
    if (this.written === 0) this.destroy();
    else if (this.failure === undefined && !this.first.destroyed) this.first.end();
    return this.done;
  }

  /** Stops decoding (the body was cut, or decoding failed); pending output is dropped. */
  destroy(): void {
    for (const stage of this.stages) stage.destroy();
  }
}
