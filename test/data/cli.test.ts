/** End to end: runs `tsx cli/validate-data.ts` and checks its output and exit codes. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { tempFile, cleanup, goodChats, SHARED_DATASETS } from "./helpers";

afterAll(cleanup);

const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");

function cli(...args: string[]) {
  const r = spawnSync(tsx, ["cli/validate-data.ts", ...args], { cwd: root, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("valid file: exit 0, summary, warnings listed", () => {
  const r = cli(path.join(SHARED_DATASETS, "seed__xbox_support_chat.jsonl"), "--price-per-1k", "0.5", "--epochs", "2");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/seed__xbox_support_chat\.jsonl:0 \[TOO_FEW_EXAMPLES\]/);
  expect(r.stdout).toMatch(/tokens per example: min \d+, median \d+, p95 \d+, max \d+/);
  expect(r.stdout).toMatch(/× 2 = /);
  expect(r.stdout).toMatch(/estimated training cost: \d+\.\d\d at 0\.5 per 1K tokens/);
  expect(r.stdout).toMatch(/VALID/);
});

test("invalid file: exit 1 and one line per error with file, line, code and fix", () => {
  const file = tempFile(goodChats(2) + '{"messages": [{"role": "user", "content": "hi"}]}\nnot json\n');
  const r = cli(file);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`${file}:3 [NO_ASSISTANT_MESSAGE]`);
  expect(r.stdout).toContain(`${file}:4 [INVALID_JSON] invalid JSON at column 1`);
  expect(r.stdout).toMatch(/INVALID: 2 errors/);
});

test("prompt/completion data is refused for the default chat model; the retired Llama-2-7b is no --model choice", () => {
  // Since Llama 2 was retired (2025-06-30) no catalog model takes prompt/completion data; the format
  // itself is still covered in checks.test.ts and datasets.test.ts with a test-only stand-in.
  const file = path.join(SHARED_DATASETS, "azure-samples-openai__context_switching_prepared_train.jsonl");
  const retired = cli(file, "--model", "Llama-2-7b");
  expect(retired.code).toBe(2);
  expect(retired.stderr).toMatch(/--model must be a model that can be fine-tuned: Meta-Llama-3.1-8B-Instruct/);
  const chat = cli(file);
  expect(chat.code).toBe(1);
  expect(chat.stdout).toMatch(/:1 \[MISSING_MESSAGES\].*text-generation/);
});

test("--json prints one report with capped errors and the count of the rest", () => {
  const r = cli(path.join(SHARED_DATASETS, "azure-samples-openai__recipes_final.jsonl"), "--json", "--max-issues", "5");
  expect(r.code).toBe(1);
  const report = JSON.parse(r.stdout) as { valid: boolean; errors: { line: number; code: string; message: string }[]; errorCount: number; errorsNotShown: number; warnings: unknown[]; stats: { training: { examples: number } } };
  expect(report.valid).toBe(false);
  expect(report.errors).toHaveLength(5);
  expect(report.errors[0]).toMatchObject({ line: 1, code: "MISSING_MESSAGES" });
  expect(report.errorCount).toBe(403);
  expect(report.errorsNotShown).toBe(398);
  expect(report.stats.training.examples).toBe(403);
  expect(r.stderr).toBe(""); // no progress bar when --json
});

test("--validation checks the second file and reports overlap", () => {
  const train = tempFile(goodChats(60));
  const validation = tempFile(goodChats(2, 59));
  const r = cli(train, "--validation", validation, "--no-tokens");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`${validation}:1 [TRAIN_VALIDATION_OVERLAP]`);
});

test("missing file: exit 1 with FILE_NOT_FOUND, not a crash", () => {
  const r = cli("does/not/exist.jsonl");
  expect(r.code).toBe(1);
  expect(r.stdout).toContain("does/not/exist.jsonl:0 [FILE_NOT_FOUND]");
});

test.each([
  [["--model", "Llama-2-13b-chat", "x.jsonl"], /--model must be a model that can be fine-tuned: .*Llama-3.3-70B-Instruct/],
  [["x.jsonl", "--epochs", "0"], /--epochs must be a whole number/],
  [["x.jsonl", "--price-per-1k", "free"], /--price-per-1k must be a number greater than 0/],
  [[], /missing required argument 'file'/],
  [["x.jsonl", "--frobnicate"], /unknown option '--frobnicate'/],
])("usage error %j: exit 2 with a clear message", (args, message) => {
  const r = cli(...args);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe("");
});

test("--help exits 0", () => {
  const r = cli("--help");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/--validation <file>/);
});
