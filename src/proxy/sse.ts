// Incremental Server-Sent Events parsing for metering streamed responses. Upstream chunks split
// anywhere (inside a line, inside a UTF-8 sequence, between the \r and \n of a CRLF), so the
// parser keeps the unfinished tail and resumes scanning where it stopped: each byte is scanned
// once however the stream is cut. It never touches what the client receives unless asked to
// (the OpenAI usage-chunk strip below), and then it re-emits each event's original text.

/**
 * One dispatched SSE event: its name (if any), its data lines joined by "\n", and its raw text.
 * Blank lines and comments (keep-alives) dispatch too, with empty data, so that re-emitting every
 * event's `raw` reproduces the stream exactly.
 */
export interface SseEvent {
  event: string | undefined;
  data: string;
  /** The event's exact text, blank-line terminator included (for faithful re-emission). */
  raw: string;
}

const LF = 10;
const CR = 13;

/** Incremental SSE parser: push decoded text (or bytes), receive complete events. */
export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private buf = "";
  /** Where the next unscanned line starts in `buf`. */
  private pos = 0;
  /** Where the event being assembled starts in `buf`. */
  private eventStart = 0;
  private eventName: string | undefined;
  private dataLines: string[] = [];

  /** Feeds bytes (decoded as a UTF-8 stream, so split sequences are kept whole). */
  pushBytes(chunk: Uint8Array, onEvent: (e: SseEvent) => void): void {
    this.push(this.decoder.decode(chunk, { stream: true }), onEvent);
  }

  /** Feeds decoded text; calls `onEvent` for every event completed by it. */
  push(text: string, onEvent: (e: SseEvent) => void): void {
    if (text.length === 0) return;
    // Invariant between pushes: `buf` holds only the unfinished event (eventStart is 0).
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    this.scan(onEvent);
    if (this.eventStart > 0) {
      this.buf = this.buf.slice(this.eventStart);
      this.pos -= this.eventStart;
      this.eventStart = 0;
    }
  }

  /** Ends the stream: a trailing event that lacks its blank line is still dispatched (its usage counts). */
  end(onEvent: (e: SseEvent) => void): void {
    const rest = this.decoder.decode();
    this.buf += rest;
    this.scan(onEvent, true);
    if (this.pos < this.buf.length) {
      this.field(this.buf.slice(this.pos)); // a last line with no terminator
      this.pos = this.buf.length;
    }
    if (this.eventStart < this.buf.length) this.dispatch(this.buf.length, onEvent);
    this.buf = "";
    this.pos = 0;
    this.eventStart = 0;
  }

  private scan(onEvent: (e: SseEvent) => void, final = false): void {
    const buf = this.buf;
    const n = buf.length;
    let pos = this.pos;
    while (pos < n) {
      let end = pos;
      let c = 0;
      // Find the end of the line: the first CR or LF.
      while (end < n) {
        c = buf.charCodeAt(end);
        if (c === LF || c === CR) break;
        end++;
      }
      if (end === n) break; // unfinished line
      let next = end + 1;
      if (c === CR) {
        // A CR at the end may be half of a CRLF: wait for the next chunk (unless there is none).
        if (next === n && !final) break;
        if (next < n && buf.charCodeAt(next) === LF) next++;
      }
      if (end === pos) {
        this.dispatch(next, onEvent);
      } else {
        this.field(buf.slice(pos, end));
      }
      pos = next;
    }
    this.pos = pos;
  }

  private field(line: string): void {
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(":");
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (name === "data") this.dataLines.push(value);
    else if (name === "event") this.eventName = value;
  }

  private dispatch(end: number, onEvent: (e: SseEvent) => void): void {
    const raw = this.buf.slice(this.eventStart, end);
    this.eventStart = end;
    const lines = this.dataLines;
    const name = this.eventName;
    this.dataLines = [];
    this.eventName = undefined;
    onEvent({ event: name, data: lines.length === 1 ? (lines[0] ?? "") : lines.join("\n"), raw });
  }
}
