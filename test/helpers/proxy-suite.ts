// The setup every in-process proxy test file shares: one fake upstream for the file, and a proxy
// session per test (opened by the test, closed after it).
import { afterAll, afterEach, beforeAll } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "./fake-upstream.js";
import { startProxySession, type ProxySession, type SessionOptions } from "./proxy-session.js";

/** The file's fake upstream and a way to open a session in front of it. */
export interface ProxySuite {
  /** The fake upstream (started before the file's first test). */
  readonly fake: FakeUpstream;
  /** Opens a session forwarding to the fake (closed after the test). */
  open(options?: Partial<SessionOptions>): Promise<ProxySession>;
}

/** Registers the hooks; call once at the top of a test file. */
export function useProxySuite(): ProxySuite {
  let fake: FakeUpstream | undefined;
  let session: ProxySession | undefined;
  beforeAll(async () => {
    fake = await startFakeUpstream();
  });
  afterAll(async () => {
    await fake?.close();
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });
  return {
    get fake() {
      if (fake === undefined) throw new Error("the fake upstream starts in beforeAll");
      return fake;
    },
    async open(options = {}) {
      session = await startProxySession({ upstream: this.fake.url, ...options });
      return session;
    },
  };
}
