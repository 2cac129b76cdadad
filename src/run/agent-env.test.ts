import { describe, expect, it } from "vitest";
import { configSchema } from "../config/index.js";
import { agentEnvironment, resolveUpstreams } from "./agent-env.js";

const config = (proxy: Record<string, unknown> = {}) => configSchema.parse({ proxy });

describe("resolveUpstreams", () => {
  it("config wins, then the parent's base URL, then the official API", () => {
    const up = resolveUpstreams(config({ openai: { upstream: "https://gateway.example/v1" } }), {
      OPENAI_BASE_URL: "https://ignored.example/v1",
      ANTHROPIC_BASE_URL: " https://corp-proxy.example/anthropic ",
    });
    expect(up.openai).toEqual({ url: "https://gateway.example/v1", from: "config" });
    expect(up.anthropic).toEqual({ url: "https://corp-proxy.example/anthropic", from: "environment" });
    expect(up.gemini).toEqual({ url: "https://generativelanguage.googleapis.com", from: "default" });
  });
});

describe("agentEnvironment", () => {
  it("adds the session's variables over the parent's, keeping the rest (API keys pass through)", () => {
    const env = agentEnvironment(
      { PATH: "/bin", OPENAI_API_KEY: "sk-x", OPENAI_BASE_URL: "https://old" },
      { url: "http://127.0.0.1:1", token: "t", sessionId: "s", proxyUrls: { openai: "o/v1", anthropic: "a", gemini: "g" } },
    );
    expect(env).toEqual({
      PATH: "/bin",
      OPENAI_API_KEY: "sk-x",
      AEGIS_URL: "http://127.0.0.1:1",
      AEGIS_TOKEN: "t",
      AEGIS_SESSION_ID: "s",
      OPENAI_BASE_URL: "o/v1",
      ANTHROPIC_BASE_URL: "a",
      GOOGLE_GEMINI_BASE_URL: "g",
    });
  });
});
