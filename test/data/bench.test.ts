/**
 * The bench's Python reference (cli/shared/cookbook_check.py) does the checks of the OpenAI
 * Cookbook's chat fine-tuning data preparation notebook, so `npm run bench` compares the
 * validator with a checker that does that work (and not with a bare json.loads loop). Skipped,
 * with the reason printed, where python3 is absent (the bench skips that ratio the same way).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const CHECKER = path.resolve(__dirname, "../../cli/shared/cookbook_check.py");
const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
const HAVE_PYTHON = !python.error && python.status === 0;
const reason = "skipped: python3 is not installed (the bench skips its Python ratio too)";
if (!HAVE_PYTHON) console.warn(`cookbook-style checker: ${reason}`);
const describePython = HAVE_PYTHON ? describe : describe.skip;

interface CheckerOutput {
  bytes: number;
  lines: number;
  seconds: number;
  maxRssMB: number;
  errors: Record<string, number>;
  warnings: { missingSystem: number; missingUser: number; messagesPerExample: { min: number; max: number; mean: number; median: number; p5: number; p95: number } | null };
}

function run(lines: string[]): CheckerOutput {
  const dir = mkdtempSync(path.join(tmpdir(), "cookbook-"));
  try {
    const file = path.join(dir, "data.jsonl");
    writeFileSync(file, lines.join("\n") + "\n");
    const r = spawnSync("python3", [CHECKER, file], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout) as CheckerOutput;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describePython(`cookbook-style Python checker${HAVE_PYTHON ? "" : ` (${reason})`}`, () => {
  test("counts each of the notebook's format errors, and only on the examples that have them", () => {
    const ok = { messages: [{ role: "system", content: "s" }, { role: "user", content: "q" }, { role: "assistant", content: "a" }] };
    const out = run([
      JSON.stringify(ok),
      "[1, 2]",
      JSON.stringify({ prompt: "p", completion: "c" }),
      JSON.stringify({ messages: [{ role: "user" }, { role: "assistant", content: "a" }] }),
      JSON.stringify({ messages: [{ role: "user", content: "q", extra: 1 }, { role: "assistant", content: "a" }] }),
      JSON.stringify({ messages: [{ role: "human", content: "q" }, { role: "assistant", content: "a" }] }),
      JSON.stringify({ messages: [{ role: "user", content: ["q"] }, { role: "assistant", content: "a" }] }),
      JSON.stringify({ messages: [{ role: "user", content: "q" }] }),
      "{not json",
    ]);
    expect(out.lines).toBe(9);
    expect(out.errors).toEqual({
      data_type: 1,
      missing_messages_list: 1,
      // The message without content counts twice in the notebook too (missing key, and no content).
      message_missing_key: 1,
      missing_content: 2,
      message_unrecognized_key: 1,
      unrecognized_role: 1,
      example_missing_assistant_message: 1,
      invalid_json: 1,
    });
  });

  test("computes the notebook's warnings on the examples without format errors", () => {
    const out = run([
      JSON.stringify({ messages: [{ role: "system", content: "s" }, { role: "user", content: "q" }, { role: "assistant", content: "a" }] }),
      JSON.stringify({ messages: [{ role: "user", content: "q" }, { role: "assistant", content: "a" }] }),
      JSON.stringify({ messages: [{ role: "assistant", content: "a" }] }),
      JSON.stringify({ messages: [{ role: "user", content: "q" }] }),
    ]);
    expect(out.warnings.missingSystem).toBe(2);
    expect(out.warnings.missingUser).toBe(1);
    expect(out.warnings.messagesPerExample).toEqual({ min: 1, max: 3, mean: 2, median: 2, p5: 1.1, p95: 2.9 });
    expect(out.bytes).toBeGreaterThan(0);
    expect(out.seconds).toBeGreaterThanOrEqual(0);
  });
});
