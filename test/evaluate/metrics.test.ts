/** The scoring functions and the sample reader, on values worked out by hand. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exactMatch, lcsLength, mean, normalize, percentile, rougeL, tokenF1 } from "../../evaluate/metrics";
import { readSamples } from "../../evaluate/samples";

describe("metrics", () => {
  test("SQuAD normalisation: case, punctuation and articles do not count", () => {
    expect(normalize("  The Xbox's  power-button, an A-button!  ")).toBe("xboxs powerbutton abutton");
    expect(exactMatch("Paris.", "paris")).toBe(1);
    expect(exactMatch("Paris, France", "Paris")).toBe(0);
  });

  test("token F1 counts shared tokens as a multiset", () => {
    // answer [cat cat dog], reference [cat dog dog bird]: common = cat×1 + dog×1 = 2; P 2/3, R 2/4 → F1 4/7
    expect(tokenF1("cat cat dog", "cat dog dog bird")).toBeCloseTo(4 / 7, 12);
    expect(tokenF1("", "")).toBe(1);
    expect(tokenF1("the", "a")).toBe(1); // both empty once articles are removed
    expect(tokenF1("something", "")).toBe(0);
  });

  test("ROUGE-L is the F-measure of the longest common subsequence", () => {
    // "b c d" runs through both (b at 1/0, c at 2/2, d at 3/4)
    expect(lcsLength(["a", "b", "c", "d"], ["b", "d", "c", "a", "d"])).toBe(3);
    // [police killed gunman] vs [police kill gunman]: LCS 2 (police, gunman), P 2/3, R 2/3
    expect(rougeL("police killed the gunman", "the police kill the gunman")).toBeCloseTo(2 / 3, 12);
    expect(rougeL("x y z", "x y z")).toBe(1);
    expect(rougeL("x", "y")).toBe(0);
  });

  test("nearest-rank percentiles and means", () => {
    const latencies = [120, 80, 300, 95, 110, 105, 90, 1000, 100, 85];
    // sorted: 80 85 90 95 100 105 110 120 300 1000 → p50 = 5th = 100, p95 = 10th = 1000
    expect(percentile(latencies, 0.5)).toBe(100);
    expect(percentile(latencies, 0.95)).toBe(1000);
    expect(percentile([], 0.5)).toBeUndefined();
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeUndefined();
  });
});

describe("samples", () => {
  const file = (lines: string[]) => {
    const path = join(mkdtempSync(join(tmpdir(), "samples-")), "v.jsonl");
    writeFileSync(path, lines.join("\n"));
    return path;
  };

  test("the last assistant turn is the reference; what follows it is dropped with it", async () => {
    const path = file([
      JSON.stringify({ messages: [{ role: "user", content: "q1" }, { role: "assistant", content: "a1" }, { role: "user", content: "q2" }, { role: "assistant", content: "a2" }] }),
      "",
      JSON.stringify({ messages: [{ role: "user", content: "q" }, { role: "assistant", content: "a" }, { role: "user", content: "thanks" }] }),
    ]);
    const samples = await readSamples(path, "chat-completion", 10);
    expect(samples).toEqual([
      { kind: "chat", line: 1, messages: [{ role: "user", content: "q1" }, { role: "assistant", content: "a1" }, { role: "user", content: "q2" }], reference: "a2" },
      { kind: "chat", line: 3, messages: [{ role: "user", content: "q" }], reference: "a" },
    ]);
    expect(await readSamples(path, "chat-completion", 1)).toHaveLength(1);
  });

  test("prompt/completion files for text-generation models", async () => {
    const path = file([JSON.stringify({ prompt: "2+2=", completion: "4" })]);
    expect(await readSamples(path, "text-generation", 5)).toEqual([{ kind: "completion", line: 1, prompt: "2+2=", reference: "4" }]);
  });

  test("unusable lines are listed by line number and nothing is evaluated", async () => {
    const path = file(["{not json", JSON.stringify({ messages: [{ role: "user", content: "q" }, { role: "user", content: "q" }] })]);
    await expect(readSamples(path, "chat-completion", 10)).rejects.toThrow(/2 validation example\(s\) cannot be evaluated:\n {2}\S+v\.jsonl:1: not valid JSON\n {2}\S+v\.jsonl:2: has no assistant answer/);
  });
});
