// Incremental splitter for a streamed JSON array of objects (Gemini `streamGenerateContent` without
// `alt=sse` sends `[{…}\r\n,{…}\r\n]` over time). It finds where each top-level element ends by
// tracking nesting depth and string state, so chunks may split anywhere; every character is
// scanned once.

const OPEN_OBJ = 123; // {
const CLOSE_OBJ = 125; // }
const OPEN_ARR = 91; // [
const CLOSE_ARR = 93; // ]
const QUOTE = 34; // "
const BACKSLASH = 92; // \

/** Emits the text of each object or array element of a top-level JSON array as it completes. */
export class JsonArraySplitter {
  private readonly decoder = new TextDecoder("utf-8");
  /** Text of the element being read (from its first character). */
  private pending = "";
  /** Nesting depth: 0 outside the array, 1 between elements, >1 inside one. */
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Feeds bytes; calls `onElement` with each complete element's JSON text. */
  pushBytes(chunk: Uint8Array, onElement: (text: string) => void): void {
    this.push(this.decoder.decode(chunk, { stream: true }), onElement);
  }

  /** Feeds decoded text. */
  push(text: string, onElement: (text: string) => void): void {
    const resuming = this.pending.length > 0;
    const buf = resuming ? this.pending + text : text;
    let start = resuming ? 0 : -1;
    for (let i = resuming ? this.pending.length : 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
      } else if (c === QUOTE) {
        this.inString = true;
      } else if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (this.depth === 1) start = i; // an element begins
        this.depth++;
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        this.depth--;
        if (this.depth === 1 && start >= 0) {
          onElement(buf.slice(start, i + 1));
          start = -1;
        }
      }
    }
    // Keep only the unfinished element (scalars between elements are not of interest).
    this.pending = start >= 0 ? buf.slice(start) : "";
  }

  /** Ends the stream (flushes a split UTF-8 sequence; an unfinished element is dropped). */
  end(onElement: (text: string) => void): void {
    const rest = this.decoder.decode();
    if (rest.length > 0) this.push(rest, onElement);
    this.pending = "";
  }
}
