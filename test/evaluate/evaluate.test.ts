/**
 * `npm run evaluate` in-process: endpoints found through the fake ARM (ServerlessEndpoints_Get,
 * _ListKeys), answers from the fake inference server, scores checked against hand-computed values.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEvaluateCommand } from "../../evaluate/command";
import { fakeClock, startFakeMl, type FakeMl } from "../finetune/fakeMl";
import { ENV, ROOT, stackContext, STACK, stackYaml, WORKSPACE_GUID, writeStack } from "../finetune/helpers";
import { startFakeInference, type FakeInference, type Reply } from "./fakeInference";

let ml: FakeMl;
let inf: FakeInference;
let clock: ReturnType<typeof fakeClock>;
let dir: string;
const scopes: string[] = [];

/** Three conversations whose expected scores are worked out by hand in the first test. */
const VALIDATION = [
  { messages: [{ role: "system", content: "Answer briefly." }, { role: "user", content: "What is the capital of France?" }, { role: "assistant", content: "The capital of France is Paris." }] },
  { messages: [{ role: "user", content: "My console froze." }, { role: "assistant", content: "Restart the console and try again." }] },
  { messages: [{ role: "user", content: "Is it on?" }, { role: "assistant", content: "Yes." }] },
];

const FT_ID = `azureml://locations/westus3/workspaces/${WORKSPACE_GUID}/models/llft-ft-x/versions/1`;

beforeEach(async () => {
  clock = fakeClock();
  ml = await startFakeMl(clock.now);
  inf = await startFakeInference(clock.advance);
  scopes.length = 0;
  const data = mkdtempSync(join(tmpdir(), "evaluate-data-"));
  const validation = join(data, "validation.jsonl");
  writeFileSync(validation, `${VALIDATION.map((l) => JSON.stringify(l)).join("\n")}\n`);
  dir = writeStack(stackYaml().replace("validationFile: examples/data/validation.jsonl", `validationFile: ${validation}`) + `  llama-finetune-env:fineTunedModelId: ${FT_ID}\n`);
  const ctx = await stackContext(dir);
  ml.workspaces.set(ctx.names.project, { location: "westus3", workspaceId: WORKSPACE_GUID });
  ml.endpoints.set(ctx.endpoints.base, { uri: `${inf.endpoint}/base`, authMode: "Key", key: "base-key" });
  ml.endpoints.set(ctx.endpoints.fineTuned, { uri: `${inf.endpoint}/ft/`, authMode: "Key", key: "ft-key" });
});
afterEach(async () => {
  await ml.close();
  await inf.close();
});

async function run(args: string[] = []) {
  let stdout = "";
  let stderr = "";
  const code = await runEvaluateCommand(["--stack", STACK, "--config-dir", dir, "--arm-endpoint", ml.endpoint, ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: ENV,
    cwd: ROOT,
    projectDir: ROOT,
    credential: { getToken: async (scope) => (scopes.push(String(scope)), { token: `tok-${scopes.length}`, expiresOnTimestamp: clock.now() + 3_600_000 }) },
    trustedCaPem: `${ml.caPem}\n${inf.caPem}`,
    sleep: clock.sleep,
    now: clock.now,
  });
  return { code, stdout, stderr };
}

/** Answers keyed by the last user message. */
function answers(map: Record<string, Reply | ((attempt: number) => Reply)>) {
  return (req: { body: { messages?: { content: string }[] } }, attempt: number): Reply => {
    const last = req.body.messages!.at(-1)!.content;
    const r = map[last];
    if (r === undefined) return { status: 500, body: { error: { code: "Unexpected", message: last } } };
    return typeof r === "function" ? r(attempt) : r;
  };
}

const usage = { prompt_tokens: 10, completion_tokens: 4 };

test("scores on a small known set: exact match, token F1, ROUGE-L, latency p50/p95, tokens (hand-computed)", async () => {
  inf.endpoints.set("base", {
    authorization: "base-key",
    reply: answers({
      // vs "capital of france is paris": same 5 tokens in another order → EM 0, F1 1, LCS "capital of france" 3/5 → ROUGE-L 0.6
      "What is the capital of France?": { content: "Paris is the capital of France.", latencyMs: 100, usage },
      // no shared token → 0, 0, 0
      "My console froze.": { content: "Please contact support.", latencyMs: 300, usage },
      // throttled once (Retry-After 2 s, not counted as latency), then a wrong answer → 0, 0, 0
      "Is it on?": (attempt) => (attempt === 1 ? { status: 429, headers: { "Retry-After": "2" }, body: { error: { code: "429", message: "Rate limit" } }, latencyMs: 5 } : { content: "No.", latencyMs: 200, usage }),
    }),
  });
  inf.endpoints.set("ft", {
    authorization: "ft-key",
    reply: answers({
      "What is the capital of France?": { content: "The capital of France is Paris!", latencyMs: 50, usage }, // normalises equal → 1, 1, 1
      "My console froze.": { content: "Restart the console.", latencyMs: 70, usage }, // [restart console] vs 5 tokens: P 1, R 0.4 → F1 = ROUGE-L = 4/7
      "Is it on?": { content: "Yes", latencyMs: 90, usage }, // → 1, 1, 1
    }),
  });
  const result = await run(["--json", "--concurrency", "1"]);
  expect(result.stderr).toBe(`evaluating base endpoint ${(await stackContext(dir)).endpoints.base} on 3 example(s)...\nevaluating fine-tuned endpoint ${(await stackContext(dir)).endpoints.fineTuned} on 3 example(s)...\n`);
  expect(result.code).toBe(0);
  const report = JSON.parse(result.stdout) as { endpoints: Record<string, unknown>[]; notes: string[] };
  const [base, ft] = report.endpoints;
  expect(base).toMatchObject({ role: "base", samples: 3, answered: 3, failed: 0, exactMatch: 0, latencyMs: { p50: 200, p95: 300 }, tokens: { prompt: 30, completion: 12, total: 42 } });
  expect(base!.f1).toBeCloseTo(1 / 3, 10);
  expect(base!.rougeL).toBeCloseTo(0.6 / 3, 10);
  expect(ft).toMatchObject({ role: "fine-tuned", modelId: FT_ID, answered: 3, failed: 0, latencyMs: { p50: 70, p95: 90 } });
  expect(ft!.exactMatch).toBeCloseTo(2 / 3, 10);
  expect(ft!.f1).toBeCloseTo((1 + 4 / 7 + 1) / 3, 10);
  expect(ft!.rougeL).toBeCloseTo((1 + 4 / 7 + 1) / 3, 10);
  expect(report.notes).toEqual([]);
  expect(clock.sleeps).toEqual([2000]);

  // What was sent: the conversation without its last assistant turn, deterministic decoding, the key as is.
  const first = inf.requests.find((r) => r.endpoint === "base")!;
  expect(first).toMatchObject({ path: "/v1/chat/completions", authorization: "base-key" });
  expect(first.body).toEqual({ messages: VALIDATION[0]!.messages.slice(0, 2), max_tokens: 512, temperature: 0 });
  expect(inf.requests.filter((r) => r.endpoint === "ft").map((r) => r.path)).toEqual(Array(3).fill("/v1/chat/completions"));
});

test("a failing endpoint: every request fails after bounded retries, reported per endpoint, exit 1", async () => {
  inf.endpoints.set("base", { authorization: "base-key", reply: () => ({ content: "Paris.", usage }) });
  inf.endpoints.set("ft", { authorization: "ft-key", reply: () => ({ status: 503, body: { error: { code: "ServiceUnavailable", message: "model is loading" } } }) });
  const result = await run(["--markdown", join(dir, "eval.md")]);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/fine-tuned endpoint \S+ answered none of the 3 example\(s\): .*HTTP 503.*model is loading/);
  expect(result.stdout).toMatch(/answered \/ failed\s+3 \/ 0\s+0 \/ 3/);
  // 5 attempts per sample, then it counts as failed.
  expect(inf.requests.filter((r) => r.endpoint === "ft")).toHaveLength(15);
  const md = readFileSync(join(dir, "eval.md"), "utf8");
  expect(md).toContain("| answered / failed | 3 / 0 | 0 / 3 |");
  expect(md).toContain("| exact match | 0.0% | 0.0% |");
  expect(md).toMatch(/Failures:\n- fine-tuned: .*HTTP 503/);
});

test("a refused request (content filter, 400) fails that sample only and is not retried", async () => {
  inf.endpoints.set("base", { authorization: "base-key", reply: () => ({ content: "Yes.", usage }) });
  inf.endpoints.set("ft", {
    authorization: "ft-key",
    reply: answers({
      "What is the capital of France?": { status: 400, body: { error: { code: "content_filter", message: "The response was filtered" } } },
      "My console froze.": { content: "Restart the console and try again.", usage },
      "Is it on?": { content: "Yes.", usage },
    }),
  });
  const result = await run(["--json"]);
  expect(result.code).toBe(0);
  const ft = (JSON.parse(result.stdout) as { endpoints: { answered: number; failed: number; exactMatch: number; errors: string[] }[] }).endpoints[1]!;
  expect(ft).toMatchObject({ answered: 2, failed: 1, errors: ["HTTP 400: content_filter: The response was filtered"] });
  expect(ft.exactMatch).toBeCloseTo(2 / 3, 10);
  expect(inf.requests.filter((r) => r.endpoint === "ft")).toHaveLength(3);
});

test("bounded concurrency: never more requests in flight than asked for", async () => {
  const many = Array.from({ length: 8 }, (_, i) => ({ messages: [{ role: "user", content: `q${i}` }, { role: "assistant", content: `a${i}` }] }));
  const file = join(mkdtempSync(join(tmpdir(), "evaluate-many-")), "v.jsonl");
  writeFileSync(file, many.map((l) => JSON.stringify(l)).join("\n"));
  dir = writeStack(stackYaml().replace("validationFile: examples/data/validation.jsonl", `validationFile: ${file}`));
  inf.endpoints.set("base", { authorization: "base-key", reply: () => ({ content: "a", holdMs: 40, usage }) });
  const result = await run(["--concurrency", "3", "--samples", "6"]);
  expect(result.code).toBe(0);
  expect(inf.requests).toHaveLength(6);
  expect(inf.maxInFlight).toBeLessThanOrEqual(3);
  expect(inf.maxInFlight).toBeGreaterThanOrEqual(2);
  // No fine-tuned model yet: only the base endpoint, and the note says what to do.
  expect(result.stdout).toMatch(/note: the stack names no fineTunedModelId yet, so only the base endpoint was evaluated/);
});

test("an endpoint with Entra ID auth gets a bearer token for https://ml.azure.com; a missing endpoint says to deploy", async () => {
  const ctx = await stackContext(dir);
  ml.endpoints.set(ctx.endpoints.base, { uri: `${inf.endpoint}/base`, authMode: "AAD", key: "unused" });
  inf.endpoints.set("base", { authorization: "Bearer tok-2", reply: () => ({ content: "Paris", usage }) });
  ml.endpoints.delete(ctx.endpoints.fineTuned);
  const result = await run();
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/the fine-tuned serverless endpoint llft-ft-ft-[0-9a-f]{6} does not exist in project .*deploy the stack first/);
  // The endpoint token is only asked for when a request is sent, and none was.
  expect(scopes).toEqual([`${ml.endpoint}/.default`]);
  expect(inf.requests).toEqual([]);
  ml.endpoints.set(ctx.endpoints.fineTuned, { uri: `${inf.endpoint}/base`, authMode: "AAD", key: "unused" });
  scopes.length = 0;
  const ok = await run(["--samples", "1"]);
  expect(ok.code).toBe(0);
  expect(scopes).toEqual([`${ml.endpoint}/.default`, "https://ml.azure.com/.default"]);
  expect(inf.requests.map((r) => r.authorization)).toEqual(["Bearer tok-2", "Bearer tok-2"]);
  // Entra ID endpoints need no key: listKeys is never called for them.
  expect(ml.requests.filter((r) => r.path.endsWith("/listKeys"))).toEqual([]);
});

test("`npm run evaluate -- --help` describes every flag; bad flags exit 2", async () => {
  const help = await runEvaluateCommand(["--help"], { stdout: (t) => (helpText += t), stderr: () => undefined, env: ENV, cwd: ROOT });
  expect(help).toBe(0);
  for (const flag of ["--stack <name>", "--config-dir <dir>", "--arm-endpoint <url>", "--samples <n>", "--concurrency <n>", "--max-tokens <n>", "--json", "--markdown <file>"]) expect(helpText).toContain(flag);
  let err = "";
  expect(await runEvaluateCommand(["--stack", "dev", "--samples", "0"], { stdout: () => undefined, stderr: (t) => (err += t), env: ENV, cwd: ROOT })).toBe(2);
  expect(err).toMatch(/--samples must be a whole number of examples from 1 to 10000/);
});
let helpText = "";
