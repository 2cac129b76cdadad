import { describe, expect, it } from "vitest";
import { BadRequestError, parseUsageBody } from "./validate.js";

function rejects(body: string): string {
  try {
    parseUsageBody(body);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${body}`);
}

describe("parseUsageBody", () => {
  it("normalises a prompt-inclusive usage with labels", () => {
    const call = parseUsageBody(
      JSON.stringify({ model: "gpt-4o", input_tokens: 1000, output_tokens: 200, cached_tokens: 300, cache_write_tokens: 100, reasoning_tokens: 50, agent_id: "researcher", action_type: "search", fingerprint: "abc" }),
    );
    expect(call).toEqual({
      usage: { model: "gpt-4o", inputTokens: 600, cacheReadTokens: 300, cacheWrite5mTokens: 100, cacheWrite1hTokens: 0, outputTokens: 200, reasoningTokens: 50 },
      agentId: "researcher",
      actionType: "search",
      fingerprint: "abc",
    });
  });

  it("takes 1-hour cache writes apart from 5-minute ones, both parts of input_tokens", () => {
    const call = parseUsageBody('{"model":"claude-sonnet-4","input_tokens":1000,"output_tokens":10,"cached_tokens":100,"cache_write_tokens":200,"cache_write_1h_tokens":300}');
    expect(call.usage).toEqual({ model: "claude-sonnet-4", inputTokens: 400, cacheReadTokens: 100, cacheWrite5mTokens: 200, cacheWrite1hTokens: 300, outputTokens: 10, reasoningTokens: 0 });
  });

  it("carries web_search_requests into the usage, billed per search", () => {
    const call = parseUsageBody('{"model":"claude-sonnet-4","input_tokens":1000,"output_tokens":10,"web_search_requests":3}');
    expect(call.usage).toEqual({ model: "claude-sonnet-4", inputTokens: 1000, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 10, reasoningTokens: 0, webSearchRequests: 3 });
    // Zero and null are no searches: the usage carries none (as the converters leave it).
    expect(parseUsageBody('{"model":"m","input_tokens":1,"output_tokens":1,"web_search_requests":0}').usage).not.toHaveProperty("webSearchRequests");
    expect(parseUsageBody('{"model":"m","input_tokens":1,"output_tokens":1,"web_search_requests":null}').usage).not.toHaveProperty("webSearchRequests");
  });

  it("carries sub_inferences (advisor iterations) into Usage.subInferences, each prompt-inclusive like the top level", () => {
    const call = parseUsageBody(
      JSON.stringify({
        model: "claude-sonnet-4-6",
        input_tokens: 1000,
        output_tokens: 100,
        sub_inferences: [
          { model: "claude-opus-4-6", input_tokens: 10_000, cached_tokens: 4_000, cache_write_tokens: 500, cache_write_1h_tokens: 2_000, output_tokens: 1_000, reasoning_tokens: 200 },
          { model: "", input_tokens: 5, output_tokens: 1, cached_tokens: null },
        ],
      }),
    );
    expect(call.usage.subInferences).toEqual([
      { model: "claude-opus-4-6", inputTokens: 3_500, cacheReadTokens: 4_000, cacheWrite5mTokens: 500, cacheWrite1hTokens: 2_000, outputTokens: 1_000, reasoningTokens: 200 },
      { model: "", inputTokens: 5, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 1, reasoningTokens: 0 },
    ]);
    expect(call.usage.inputTokens).toBe(1000);
    for (const none of ["[]", "null"]) expect(parseUsageBody(`{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":${none}}`).usage).not.toHaveProperty("subInferences");
    const hundred = Array.from({ length: 100 }, () => ({ model: "m", input_tokens: 1, output_tokens: 1 }));
    expect(parseUsageBody(JSON.stringify({ model: "m", input_tokens: 1, output_tokens: 1, sub_inferences: hundred })).usage.subInferences).toHaveLength(100);
  });

  it("treats null optional counts and empty labels as absent", () => {
    const call = parseUsageBody('{"model":"m","input_tokens":1,"output_tokens":0,"cached_tokens":null,"agent_id":""}');
    expect(call.agentId).toBeUndefined();
    expect(call.usage.cacheReadTokens).toBe(0);
  });

  it.each([
    ["{not json", /^body: expected a JSON object, received malformed JSON/],
    ["[1,2]", /^body: expected a JSON object .* received an array/],
    ['"text"', /^body: .* received "text" \(string\)/],
    ['{"input_tokens":1,"output_tokens":1}', /^model: expected a non-empty model id string, received nothing/],
    ['{"model":"","input_tokens":1,"output_tokens":1}', /^model: .* received "" \(string\)/],
    ['{"model":7,"input_tokens":1,"output_tokens":1}', /^model: .* received 7 \(number\)/],
    ['{"model":"m","output_tokens":1}', /^input_tokens: expected a non-negative integer, received nothing/],
    ['{"model":"m","input_tokens":-5,"output_tokens":1}', /^input_tokens: expected a non-negative integer, received -5 \(number\)/],
    ['{"model":"m","input_tokens":1e15,"output_tokens":1}', /^input_tokens: expected at most 100000000 tokens for one call, received 1000000000000000/],
    ['{"model":"m","input_tokens":10,"output_tokens":100000001}', /^output_tokens: expected at most 100000000 tokens for one call, received 100000001/],
    ['{"model":"m","input_tokens":"10","output_tokens":1}', /^input_tokens: .* received "10" \(string\)/],
    ['{"model":"m","input_tokens":1.5,"output_tokens":1}', /^input_tokens: .* received 1.5 \(number\)/],
    ['{"model":"m","input_tokens":1,"output_tokens":1e300}', /^output_tokens: .* received 1e\+300 \(number\)/],
    ['{"model":"m","input_tokens":1,"output_tokens":null}', /^output_tokens: .* received null/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"cached_tokens":true}', /^cached_tokens: .* received true \(boolean\)/],
    ['{"model":"m","input_tokens":10,"output_tokens":1,"cached_tokens":8,"cache_write_tokens":5}', /^cached_tokens: cached_tokens \(8\) plus cache_write_tokens \(5\) cannot exceed input_tokens \(10\)/],
    ['{"model":"m","input_tokens":10,"output_tokens":1,"cached_tokens":2,"cache_write_tokens":3,"cache_write_1h_tokens":6}', /^cache_write_1h_tokens: cached_tokens \(2\), cache_write_tokens \(3\) and cache_write_1h_tokens \(6\) cannot exceed input_tokens \(10\)/],
    ['{"model":"m","input_tokens":10,"output_tokens":1,"cache_write_1h_tokens":-1}', /^cache_write_1h_tokens: expected a non-negative integer, received -1 \(number\)/],
    ['{"model":"m","input_tokens":10,"output_tokens":1,"reasoning_tokens":2}', /^reasoning_tokens: .*cannot exceed output_tokens/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"web_search_requests":-1}', /^web_search_requests: expected a non-negative integer, received -1 \(number\)$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"web_search_requests":2.5}', /^web_search_requests: expected a non-negative integer, received 2.5 \(number\)$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"web_search_requests":"3"}', /^web_search_requests: expected a non-negative integer, received "3" \(string\)$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"web_search_requests":[1]}', /^web_search_requests: expected a non-negative integer, received an array$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"web_search_requests":100000001}', /^web_search_requests: expected at most 100000000 searches for one call, received 100000001$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"web_searches":1}', /^unknown field "web_searches": expected only .*web_search_requests/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":{}}', /^sub_inferences: expected an array of \{ model, input_tokens, output_tokens, cached_tokens\?, .* \}, received an object$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":"x"}', /^sub_inferences: expected an array of .*, received "x" \(string\)$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":[1]}', /^sub_inferences\[0\]: expected an object \{ model, input_tokens, .* \}, received 1 \(number\)$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":[{"model":"a","input_tokens":1,"output_tokens":1},{"input_tokens":1,"output_tokens":1}]}', /^sub_inferences\[1\]\.model: expected a model id string \("" when the provider did not name it\), received nothing \(the field is required\)$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":[{"model":"a","input_tokens":1,"output_tokens":1},{"model":7,"input_tokens":1,"output_tokens":1}]}', /^sub_inferences\[1\]\.model: expected a model id string .*, received 7 \(number\)$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":[{"model":"a","output_tokens":1}]}', /^sub_inferences\[0\]\.input_tokens: expected a non-negative integer, received nothing \(the field is required\)$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":[{"model":"a","input_tokens":1,"output_tokens":-2}]}', /^sub_inferences\[0\]\.output_tokens: expected a non-negative integer, received -2 \(number\)$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":[{"model":"a","input_tokens":1,"output_tokens":1,"cache_write_1h_tokens":"9"}]}', /^sub_inferences\[0\]\.cache_write_1h_tokens: expected a non-negative integer, received "9" \(string\)$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":[{"model":"a","input_tokens":100000001,"output_tokens":1}]}', /^sub_inferences\[0\]\.input_tokens: expected at most 100000000 tokens for one call, received 100000001$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":[{"model":"a","input_tokens":10,"output_tokens":1,"cached_tokens":8,"cache_write_tokens":5}]}', /^sub_inferences\[0\]\.cached_tokens: cached_tokens \(8\) plus cache_write_tokens \(5\) cannot exceed input_tokens \(10\)/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":[{"model":"a","input_tokens":1,"output_tokens":1,"cache_read_tokens":1}]}', /^sub_inferences\[0\]: unknown field "cache_read_tokens": expected only model, input_tokens, output_tokens, cached_tokens/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"sub_inferences":[{"model":"a","input_tokens":1,"output_tokens":1,"web_search_requests":1}]}', /^sub_inferences\[0\]: unknown field "web_search_requests"/],
    [JSON.stringify({ model: "m", input_tokens: 1, output_tokens: 1, sub_inferences: Array.from({ length: 101 }, () => ({ model: "a", input_tokens: 1, output_tokens: 1 })) }), /^sub_inferences: expected at most 100 entries for one call, received 101$/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"agent_id":5}', /^agent_id: expected a string .* received 5 \(number\)/],
    ['{"model":"m","input_tokens":1,"output_tokens":1,"prompt_tokens":3,"cost":1}', /^unknown fields "prompt_tokens", "cost": expected only model, input_tokens/],
  ])("rejects %s", (body, message) => {
    expect(rejects(body)).toMatch(message);
  });
});
