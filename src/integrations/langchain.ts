// LangChain.js callback handler (`aegis-governor/integrations/langchain`). Before each model call
// it checks the prompt against the limits and throws AegisBlockedError to stop the call; after it,
// it records the exact usage. It is built with `raiseError: true`, which also makes LangChain await
// it: CallbackManager rethrows a handler's error only when `raiseError` is set, and the base
// constructor turns `awaitHandlers` on with it (@langchain/core dist/callbacks/base.js, manager.js),
// so the throw happens before the provider is called and no background queue swallows it.
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Serialized } from "@langchain/core/load/serializable";
import type { BaseMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import { usageFromPromptInclusive, type Usage } from "../core/usage.js";
import type { CallOptions, Tracker } from "./tracker.js";
import { estimatedUsage, promptFingerprint } from "./preflight.js";

/** Options of the handler. A call's `metadata.aegis_agent_id` overrides `agentId` for that call. */
export interface AegisCallbackOptions {
  /** Agent of the delegation tree this handler's calls are charged to. */
  agentId?: string;
  actionType?: string;
}

// What handleLLMEnd needs from the start of the same run.
interface RunStart {
  model: string | undefined;
  /** The options of the record (its fingerprint may differ from the check's, see `start`). */
  options: CallOptions;
}

type ToWire = (input: { messages: BaseMessage[]; model?: string }) => unknown;
let openaiConverter: Promise<ToWire | undefined> | undefined;

// LangChain's own converter from messages to Chat Completions messages (@langchain/openai, loaded
// only for a ChatOpenAI call — the agent has it loaded already), or undefined without it.
function loadOpenAIConverter(): Promise<ToWire | undefined> {
  openaiConverter ??= import("@langchain/openai").then(
    (m) => (typeof m.convertMessagesToCompletionsMessageParams === "function" ? (m.convertMessagesToCompletionsMessageParams as ToWire) : undefined),
    () => undefined,
  );
  return openaiConverter;
}

/**
 * The fingerprint the aegis proxy computes for this call's request body, when it can be known:
 * a ChatOpenAI call on Chat Completions sends LangChain's conversion of the messages, which the
 * same converter reproduces here. Other models (and ChatOpenAI on the Responses API) give
 * undefined.
 */
async function wireFingerprint(llm: Serialized, messages: BaseMessage[][], params: Obj | undefined): Promise<string | undefined> {
  const id = (llm as { id?: unknown }).id;
  const className = Array.isArray(id) ? id[id.length - 1] : undefined;
  if (className !== "ChatOpenAI" && className !== "ChatOpenAICompletions") return undefined;
  // Completions parameters carry frequency_penalty; Responses parameters carry truncation instead.
  if (params === undefined || !("frequency_penalty" in params) || "truncation" in params) return undefined;
  const model = str(params.model);
  const [group, ...more] = messages;
  if (model === undefined || group === undefined || more.length > 0) return undefined;
  const convert = await loadOpenAIConverter();
  if (convert === undefined) return undefined;
  try {
    return promptFingerprint("openai", model, convert({ messages: group, model }));
  } catch {
    return undefined;
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * Usage from `message.usage_metadata`, whose input_tokens includes cache reads and writes.
 * ChatOpenAI maps no cache writes into it, so they are read from the raw OpenAI usage it keeps
 * in `response_metadata.usage` (prompt_tokens_details.cache_write_tokens) when it gives none.
 */
function fromUsageMetadata(model: string, u: Obj, raw: Obj | undefined): Usage {
  const input = obj(u.input_token_details);
  const rawWrites = num(obj(raw?.prompt_tokens_details)?.cache_write_tokens);
  const output = obj(u.output_token_details);
  const prompt = num(u.input_tokens);
  const completion = num(u.output_tokens);
  const cached = Math.min(num(input?.cache_read), prompt);
  return usageFromPromptInclusive({
    model,
    promptTokens: prompt,
    cachedTokens: cached,
    cacheWriteTokens: Math.min(num(input?.cache_creation) || rawWrites, prompt - cached),
    completionTokens: completion,
    reasoningTokens: Math.min(num(output?.reasoning), completion),
  });
}

/** The exact usage of one run's result: `usage_metadata` first, `llmOutput.tokenUsage` as fallback. */
export function usageFromLLMResult(output: LLMResult, startModel?: string): Usage | undefined {
  const llmOutput = obj(output.llmOutput);
  let found: Usage | undefined;
  for (const group of output.generations) {
    // Every choice of one request carries the same request-wide usage: take it once per group.
    for (const generation of group) {
      const message = obj(obj(generation)?.message);
      const meta = obj(message?.usage_metadata);
      if (meta === undefined) continue;
      const rm = obj(message?.response_metadata);
      const model = str(llmOutput?.model_name) ?? str(rm?.model_name) ?? str(rm?.model) ?? startModel ?? "";
      const u = fromUsageMetadata(model, meta, obj(rm?.usage));
      found = found === undefined ? u : sum(found, u);
      break;
    }
  }
  if (found !== undefined) return found;
  const tokenUsage = obj(llmOutput?.tokenUsage);
  if (tokenUsage === undefined) return undefined;
  return usageFromPromptInclusive({
    model: str(llmOutput?.model_name) ?? startModel ?? "",
    promptTokens: num(tokenUsage.promptTokens),
    completionTokens: num(tokenUsage.completionTokens),
  });
}

function sum(a: Usage, b: Usage): Usage {
  return {
    model: a.model,
    inputTokens: a.inputTokens + b.inputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWrite5mTokens: a.cacheWrite5mTokens + b.cacheWrite5mTokens,
    cacheWrite1hTokens: a.cacheWrite1hTokens + b.cacheWrite1hTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}

/** Governs the LangChain model calls it is attached to (constructor `callbacks: [handler]`, or per call). */
export class AegisCallbackHandler extends BaseCallbackHandler {
  name = "AegisCallbackHandler";
  private readonly runs = new Map<string, RunStart>();

  constructor(
    private readonly tracker: Tracker,
    private readonly options: AegisCallbackOptions = {},
  ) {
    super({ raiseError: true });
  }

  // The base copy() calls `new constructor(this)`, which would lose the tracker; the handler's
  // only state is keyed by run id, so sharing one instance is safe.
  override copy(): BaseCallbackHandler {
    return this;
  }

  override async handleChatModelStart(llm: Serialized, messages: BaseMessage[][], runId: string, _parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>): Promise<void> {
    // The fingerprint sees the conversation (role and content), not message ids or other metadata.
    const prompt = messages.map((group) => group.map((m) => [m.getType(), m.content]));
    await this.start(llm, prompt, runId, extraParams, metadata, await wireFingerprint(llm, messages, obj(extraParams?.invocation_params)));
  }

  override async handleLLMStart(llm: Serialized, prompts: string[], runId: string, _parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>): Promise<void> {
    await this.start(llm, prompts, runId, extraParams, metadata, undefined);
  }

  override async handleLLMEnd(output: LLMResult, runId: string): Promise<void> {
    const start = this.runs.get(runId);
    this.runs.delete(runId);
    const usage = usageFromLLMResult(output, start?.model);
    if (usage === undefined) {
      process.emitWarning(`aegis: a LangChain ${start?.model ?? "model"} call returned no token usage, so its cost was not recorded`);
      return;
    }
    await this.tracker.record(usage, start?.options ?? this.callOptions(undefined));
  }

  override async handleLLMError(_err: unknown, runId: string): Promise<void> {
    this.runs.delete(runId);
  }

  /**
   * `wire` is the proxy's fingerprint of the call when it can be known: then the check leaves the
   * proxy an attribution hint and the record is recognised as the proxy's call. Otherwise, under
   * `aegis run`, the record goes without a fingerprint, so that aegis can still recognise a copy of
   * a proxied call by its usage (a tighter match, see the README); loop detection of such records
   * falls back to model and token counts.
   */
  private async start(llm: Serialized, prompt: unknown, runId: string, extraParams: Record<string, unknown> | undefined, metadata: Record<string, unknown> | undefined, wire: string | undefined): Promise<void> {
    const params = obj(extraParams?.invocation_params);
    const kwargs = obj(obj(llm)?.kwargs);
    const model = str(params?.model) ?? str(params?.model_name) ?? str(metadata?.ls_model_name) ?? str(kwargs?.model) ?? str(kwargs?.model_name);
    const options = this.callOptions(metadata);
    if (model !== undefined) options.fingerprint = wire ?? promptFingerprint("langchain", model, prompt);
    const recordOptions: CallOptions = { ...options };
    if (wire === undefined && this.tracker.mode === "remote") delete recordOptions.fingerprint;
    this.runs.set(runId, { model, options: recordOptions });
    // Without a model name there is nothing to price before the call; the record after it still counts.
    if (model === undefined) return;
    const maxTokens = num(params?.max_tokens) || num(params?.max_completion_tokens) || num(metadata?.ls_max_tokens);
    try {
      await this.tracker.check(estimatedUsage(model, prompt, maxTokens || undefined), options);
    } catch (error) {
      this.runs.delete(runId);
      throw error;
    }
  }

  private callOptions(metadata: Record<string, unknown> | undefined): CallOptions {
    const agentId = str(metadata?.aegis_agent_id) ?? this.options.agentId;
    return {
      ...(agentId !== undefined ? { agentId } : {}),
      ...(this.options.actionType !== undefined ? { actionType: this.options.actionType } : {}),
    };
  }
}
