/** End to end: runs `tsx cli/validate-data.ts` and checks its output and exit codes. */
import { spawn, spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { tempFile, cleanup, goodChats, goodChat } from "./helpers";
import { describeShared, SHARED_DATASETS } from "./shared";

afterAll(cleanup);

const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const STACK_TRACE = /\n\s+at .+\(.+:\d+:\d+\)/;

function cli(args: string[], input?: string) {
  const r = spawnSync(tsx, ["cli/validate-data.ts", ...args], { cwd: root, encoding: "utf8", input, env: { ...process.env, FORCE_COLOR: "0" } });
  expect(r.stderr).not.toMatch(STACK_TRACE);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI with its stdout closed after the first bytes, as `| head -c 1` does. */
function cliClosedEarly(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ["cli/validate-data.ts", ...args], { cwd: root, env: { ...process.env, FORCE_COLOR: "0" } });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

test("valid file: exit 0, summary with tokens, epochs and cost", () => {
  const file = tempFile(goodChats(60));
  const r = cli([file, "--price-per-1k", "0.5", "--epochs", "2"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/tokens per example: min \d+, median \d+, p95 \d+, max \d+; total [\d,]+\n/);
  expect(r.stdout).toMatch(/training tokens × epochs: [\d,]+ × 2 = [\d,]+\n/);
  expect(r.stdout).toMatch(/estimated training cost: \d+\.\d\d at 0\.5 per 1K tokens/);
  expect(r.stdout.trimEnd().split("\n").pop()).toBe("VALID");
});

test("invalid file: exit 1 and one line per error with file, line, code and fix", () => {
  const file = tempFile(goodChats(2) + '{"messages": [{"role": "user", "content": "hi"}]}\nnot json\n');
  const r = cli([file]);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`${file}:3 [NO_ASSISTANT_MESSAGE]`);
  expect(r.stdout).toContain(`${file}:4 [INVALID_JSON] invalid JSON at column 1`);
  expect(r.stdout).toMatch(/INVALID: 2 errors/);
});

test("prompt/completion data is refused for the default chat model; the retired Llama-2-7b is no --model choice", () => {
  const file = tempFile(Array.from({ length: 3 }, (_, i) => JSON.stringify({ prompt: `p${i} ->`, completion: ` c${i}` })).join("\n") + "\n");
  const retired = cli([file, "--model", "Llama-2-7b"]);
  expect(retired.code).toBe(2);
  expect(retired.stderr).toMatch(/--model must be a model that can be fine-tuned: Meta-Llama-3.1-8B-Instruct/);
  const chat = cli([file]);
  expect(chat.code).toBe(1);
  expect(chat.stdout).toMatch(/:1 \[MISSING_MESSAGES\].*text-generation/);
});

test("--json prints one report with capped errors and the count of the rest", () => {
  const file = tempFile('{"recipe": "x"}\n'.repeat(403));
  const r = cli([file, "--json", "--max-issues", "5"]);
  expect(r.code).toBe(1);
  const report = JSON.parse(r.stdout) as { valid: boolean; errors: { line: number; code: string }[]; errorCount: number; errorsNotShown: number; stats: { training: { examples: number } } };
  expect(report.valid).toBe(false);
  expect(report.errors.map((e) => [e.line, e.code])).toEqual([1, 2, 3, 4, 5].map((l) => [l, "MISSING_MESSAGES"]));
  expect(report.errorCount).toBe(403);
  expect(report.errorsNotShown).toBe(398);
  expect(report.stats.training.examples).toBe(403);
  expect(r.stderr).toBe(""); // no progress bar when --json
});

test("--validation checks the second file and reports overlap", () => {
  const train = tempFile(goodChats(60));
  const validation = tempFile(goodChats(2, 59));
  const r = cli([train, "--validation", validation, "--no-tokens"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`${validation}:1 [TRAIN_VALIDATION_OVERLAP]`);
});

test('"-" reads the training data from stdin; stdin cannot be both files', () => {
  const r = cli(["-", "--no-tokens"], goodChats(60) + "oops\n");
  expect(r.code).toBe(1);
  expect(r.stdout).toContain("-:61 [INVALID_JSON]");
  expect(r.stdout).toContain("training: - — 61 examples (60 valid), 61 lines");
  const both = cli(["-", "--validation", "-"], "");
  expect(both.code).toBe(2);
  expect(both.stderr).toContain("standard input (-) can be read only once");
});

test("--workers 2 on a small file gives the same report as the main thread", () => {
  const file = tempFile(goodChats(70) + "bad\n" + goodChat(3) + "\n");
  const one = cli([file, "--json", "--workers", "0"]);
  const two = cli([file, "--json", "--workers", "2"]);
  const strip = (s: string) => ({ ...JSON.parse(s), stats: { ...JSON.parse(s).stats, durationMs: 0, workers: 0 } });
  expect(two.code).toBe(1);
  expect(strip(two.stdout)).toEqual(strip(one.stdout));
});

test("missing file: exit 1 with FILE_NOT_FOUND, not a crash", () => {
  const r = cli(["does/not/exist.jsonl"]);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain("does/not/exist.jsonl:0 [FILE_NOT_FOUND]");
  expect(r.stdout).not.toContain("NO_EXAMPLES");
});

test("a gzip file is named as such, with no other error", () => {
  const file = tempFile(gzipSync(goodChats(3)));
  const r = cli([file]);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`${file}:0 [COMPRESSED_FILE] ${file}: the file is gzip-compressed; decompress it first (gunzip FILE)`);
  expect(r.stdout).toMatch(/INVALID: 1 error;/);
});

test("a closed stdout (| head) ends quietly with the exit code of the work: 0 for a valid file, 1 for an invalid one", async () => {
  const valid = tempFile(`${goodChat(1)}\n`.repeat(6000));
  const ok = await cliClosedEarly([valid, "--max-issues", "6000", "--no-tokens"]);
  expect(ok).toEqual({ code: 0, stderr: "" });
  const invalid = tempFile("x\n".repeat(6000));
  const bad = await cliClosedEarly([invalid, "--max-issues", "6000", "--json"]);
  expect(bad).toEqual({ code: 1, stderr: "" });
});

test.each([
  [["--model", "Llama-2-13b-chat", "x.jsonl"], /--model must be a model that can be fine-tuned: .*Llama-3.3-70B-Instruct/],
  [["x.jsonl", "--epochs", "0"], /--epochs must be a whole number from 1 to 1000/],
  [["x.jsonl", "--price-per-1k", "free"], /--price-per-1k must be a number greater than 0/],
  [["x.jsonl", "--max-issues", "1e9"], /--max-issues must be a whole number from 0 to 100000/],
  [["x.jsonl", "--workers", "lots"], /--workers must be auto or a whole number from 0 to 99/],
  [[], /missing required argument 'file'/],
  [["x.jsonl", "--frobnicate"], /unknown option '--frobnicate'/],
])("usage error %j: exit 2 with a clear message; with --json, one JSON document", (args, message) => {
  const r = cli(args);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe("");
  const j = cli([...args, "--json"]);
  expect(j.code).toBe(2);
  const doc = JSON.parse(j.stdout) as { valid: boolean; usageError: string };
  expect(doc.valid).toBe(false);
  expect(doc.usageError).toMatch(message);
});

test("--help exits 0", () => {
  const r = cli(["--help"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/--validation <file>/);
});

describeShared("the shared datasets through the CLI", () => {
  test("the seed file: exit 0 with the TOO_FEW_EXAMPLES warning", () => {
    const r = cli([path.join(SHARED_DATASETS, "seed__xbox_support_chat.jsonl")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/seed__xbox_support_chat\.jsonl:0 \[TOO_FEW_EXAMPLES\]/);
  });

  test("the recipes file (not a fine-tuning dataset): exit 1, 403 errors", () => {
    const r = cli([path.join(SHARED_DATASETS, "azure-samples-openai__recipes_final.jsonl"), "--json", "--max-issues", "5"]);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { errorCount: number }).errorCount).toBe(403);
  });
});
