/**
 * Sends the samples to one serverless endpoint and scores the answers.
 *
 * Requests: `POST <inferenceEndpoint.uri>/v1/chat/completions` with the conversation (or
 * `/v1/completions` with the prompt for text-generation models), `temperature: 0` so base and
 * fine-tuned are compared on their most likely answer. Paths and the key-in-`Authorization`
 * header are those of the model-as-a-service samples (azureml-examples
 * sdk/python/foundation-models/meta-llama-3.1/webrequests.ipynb and
 * sdk/python/jobs/finetuning/standalone/model-as-a-service/chat-completion/
 * chat_completion_with_model_as_service.ipynb); an endpoint with Entra ID auth gets a bearer
 * token for `https://ml.azure.com` instead.
 *
 * At most `concurrency` requests are in flight; 429 (and 5xx) answers are retried honouring
 * Retry-After by the HTTP client (finetune/http.ts), within a bounded number of attempts, after
 * which the sample counts as failed. Latency is that of the answering attempt, waits excluded.
 * Scores are averaged over all samples, a failed request scoring 0, so an endpoint that fails
 * often cannot look better than one that answers.
 */
import { z } from "zod";
import { errorDetail, isAbortError, JsonHttpClient, type JsonHttpClientOptions } from "../finetune/http";
import { exactMatch, mean, percentile, rougeL, tokenF1 } from "./metrics";
import type { Sample } from "./samples";

export interface EndpointTarget {
  role: "base" | "fine-tuned";
  name: string;
  uri: string;
  modelId?: string;
  http: JsonHttpClientOptions;
}

export interface SampleResult {
  line: number;
  ok: boolean;
  answer?: string;
  error?: string;
  latencyMs?: number;
  promptTokens?: number;
  completionTokens?: number;
  exactMatch: number;
  f1: number;
  rougeL: number;
}

export interface EndpointReport {
  role: EndpointTarget["role"];
  name: string;
  modelId?: string;
  samples: number;
  answered: number;
  failed: number;
  exactMatch: number;
  f1: number;
  rougeL: number;
  latencyMs: { p50?: number; p95?: number };
  tokens: { prompt: number; completion: number; total: number };
  /** Up to 5 distinct failure reasons. */
  errors: string[];
  results: SampleResult[];
}

export interface RunOptions {
  concurrency: number;
  maxTokens: number;
  signal?: AbortSignal;
}

const answerSchema = z
  .object({
    choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }).loose().optional(), text: z.string().optional() }).loose()).min(1),
    usage: z.object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() }).loose().optional(),
  })
  .loose();

export async function evaluateEndpoint(target: EndpointTarget, samples: readonly Sample[], options: RunOptions): Promise<EndpointReport> {
  const http = new JsonHttpClient({ maxAttempts: 5, ...target.http });
  const base = target.uri.replace(/\/+$/, "");
  const results: SampleResult[] = new Array(samples.length);
  let next = 0;
  const worker = async () => {
    while (next < samples.length) {
      const i = next++;
      results[i] = await ask(http, base, samples[i]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, samples.length) }, worker));

  const answered = results.filter((r) => r.ok);
  const errors = [...new Set(results.filter((r) => !r.ok).map((r) => r.error ?? "unknown error"))].slice(0, 5);
  const prompt = answered.reduce((s, r) => s + (r.promptTokens ?? 0), 0);
  const completion = answered.reduce((s, r) => s + (r.completionTokens ?? 0), 0);
  const latencies = answered.map((r) => r.latencyMs ?? 0);
  return {
    role: target.role,
    name: target.name,
    modelId: target.modelId,
    samples: samples.length,
    answered: answered.length,
    failed: samples.length - answered.length,
    exactMatch: mean(results.map((r) => r.exactMatch)) ?? 0,
    f1: mean(results.map((r) => r.f1)) ?? 0,
    rougeL: mean(results.map((r) => r.rougeL)) ?? 0,
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) },
    tokens: { prompt, completion, total: prompt + completion },
    errors,
    results,
  };
}

async function ask(http: JsonHttpClient, base: string, sample: Sample, options: RunOptions): Promise<SampleResult> {
  const failed = (error: string): SampleResult => ({ line: sample.line, ok: false, error, exactMatch: 0, f1: 0, rougeL: 0 });
  const [path, body] =
    sample.kind === "chat"
      ? ["/v1/chat/completions", { messages: sample.messages, max_tokens: options.maxTokens, temperature: 0 }]
      : ["/v1/completions", { prompt: sample.prompt, max_tokens: options.maxTokens, temperature: 0 }];
  let res;
  try {
    res = await http.request("POST", `${base}${path}`, body, options.signal);
  } catch (error) {
    if (isAbortError(error)) throw error;
    return failed((error as Error).message);
  }
  if (res.status !== 200) return failed(`HTTP ${res.status}: ${errorDetail(res)}`);
  const parsed = answerSchema.safeParse(res.json);
  if (!parsed.success) return failed("the answer is not a completions response (no choices)");
  const choice = parsed.data.choices[0]!;
  const answer = (sample.kind === "chat" ? choice.message?.content : choice.text) ?? "";
  return {
    line: sample.line,
    ok: true,
    answer,
    latencyMs: res.elapsedMs,
    promptTokens: parsed.data.usage?.prompt_tokens,
    completionTokens: parsed.data.usage?.completion_tokens,
    exactMatch: exactMatch(answer, sample.reference),
    f1: tokenF1(answer, sample.reference),
    rougeL: rougeL(answer, sample.reference),
  };
}
