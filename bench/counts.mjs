// How much each scenario sends, for the full suite and the smoke suite (about a minute).
// rounds × perRound interleaved iterations per arm after `warmup`; seconds of closed/open loops.

/** Counts by suite. */
export const COUNTS = {
  full: {
    m1: { rounds: 7, perRound: 700, warmup: 50, wrkSeconds: 5 },
    m2: { concurrency: 64, seconds: 5, rate: 5000 },
    p1: { rounds: 7, perRound: 300, warmup: 15 },
    p2_100k: { rounds: 5, perRound: 40 },
    p2_1m: { rounds: 5, perRound: 10 },
    p3: { concurrency: [1, 4, 16, 64, 256], seconds: 3 },
    s1_ttft: { rounds: 7, perRound: 30, warmup: 5 },
    s1_gap: { rounds: 3, perRound: 4, warmup: 1 },
    s1_gap_shape: { chunks: 64, gapMs: 20 },
    startup: { runs: 30, warmup: 3 },
    r1: { lines: 1_000_000, runs: 3 },
    // performance.md's soak: 10 minutes at 500 calls/s. Shorter soaks (`--soak-seconds 120`) end while
    // the 60 s loop-detection window and SQLite's page cache are still filling: their slope is warm-up.
    x1: { streams: { concurrency: 64, seconds: 20 }, soak: { rate: 500, seconds: 600 }, afterSeconds: 10 },
  },
  smoke: {
    m1: { rounds: 3, perRound: 200, warmup: 30, wrkSeconds: 2 },
    m2: { concurrency: 64, seconds: 2, rate: 5000 },
    p1: { rounds: 3, perRound: 80, warmup: 15 },
    p2_100k: { rounds: 3, perRound: 10 },
    p2_1m: { rounds: 2, perRound: 4 },
    p3: { concurrency: [1, 16, 64], seconds: 1 },
    s1_ttft: { rounds: 3, perRound: 8, warmup: 3 },
    s1_gap: { rounds: 1, perRound: 3, warmup: 1 },
    s1_gap_shape: { chunks: 16, gapMs: 20 },
    startup: { runs: 10, warmup: 2 },
    r1: { lines: 100_000, runs: 2 },
    x1: { streams: { concurrency: 64, seconds: 5 }, soak: { rate: 500, seconds: 16 }, afterSeconds: 2 },
  },
};
