import { describe, expect, it } from "vitest";
import { createHintBook } from "./attribution-hints.js";

describe("attribution hints", () => {
  it("serves each hint once, oldest first, per fingerprint", () => {
    const book = createHintBook({ clock: () => 0 });
    book.remember("f", "researcher");
    book.remember("f", "writer");
    book.remember("g", "critic");
    expect(book.take("f")).toBe("researcher");
    expect(book.take("f")).toBe("writer");
    expect(book.take("f")).toBeUndefined();
    expect(book.take("g")).toBe("critic");
  });

  it("forgets hints older than the time to live", () => {
    let now = 0;
    const book = createHintBook({ clock: () => now, ttlMs: 30_000 });
    book.remember("f", "old");
    now = 20_000;
    book.remember("f", "new");
    now = 31_000;
    expect(book.take("f")).toBe("new");
  });

  it("holds at most `max` hints, dropping the longest-known first", () => {
    const book = createHintBook({ clock: () => 0, max: 2 });
    book.remember("a", "1");
    book.remember("b", "2");
    book.remember("c", "3");
    expect(book.take("a")).toBeUndefined();
    expect(book.take("b")).toBe("2");
    expect(book.take("c")).toBe("3");
  });
});
