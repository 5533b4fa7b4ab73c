/**
 * config/namespaces.ts: a key whose namespace is a misspelling of ours would be handed to nobody
 * by Pulumi and silently ignored, so it is refused; other namespaces are left alone.
 */
import { editDistance, looksLikeNamespace, misspeltNamespaceProblems } from "../../config/namespaces";

const OURS = "llama-finetune-env";

describe("editDistance (Levenshtein)", () => {
  test.each<[string, string, number]>([
    ["kitten", "sitting", 3],
    ["flaw", "lawn", 2],
    ["", "abc", 3],
    ["abc", "", 3],
    ["abc", "abc", 0],
    ["abc", "abd", 1],
    ["ab", "ba", 2],
  ])("%s → %s: %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe("looksLikeNamespace", () => {
  test.each([
    "Llama_FineTune-Env", // same letters, other case and separators
    "llama-finetune-en", // 1 edit
    "xxxma-finetune-env", // 3 edits
    "llama-fine", // far off, but starts like ours
    "LLAMA",
  ])("%s is taken for a misspelling of ours", (ns) => {
    expect(looksLikeNamespace(ns, OURS)).toBe(true);
  });

  test.each([OURS, "xxxxa-finetune-env", "azure-native", "pulumi", "aws"])("%s is not", (ns) => {
    expect(looksLikeNamespace(ns, OURS)).toBe(false);
  });
});

describe("misspeltNamespaceProblems", () => {
  test("one problem per misspelt key, sorted, naming the key to use; keys without a namespace and other namespaces are left alone", () => {
    expect(misspeltNamespaceProblems(["pulumi:tags", "llama:model", "environment", "llama-finetune-env:location", "Llama-Finetune-Env:contentSafety"], OURS)).toEqual([
      'Llama-Finetune-Env:contentSafety: the namespace "Llama-Finetune-Env" is not "llama-finetune-env", so Pulumi would hand this key to nobody and it would be ignored; rename it to llama-finetune-env:contentSafety',
      'llama:model: the namespace "llama" is not "llama-finetune-env", so Pulumi would hand this key to nobody and it would be ignored; rename it to llama-finetune-env:model',
    ]);
  });

  test("only the first colon separates the namespace", () => {
    expect(misspeltNamespaceProblems(["llama-finetune:a:b"], OURS)).toEqual([
      'llama-finetune:a:b: the namespace "llama-finetune" is not "llama-finetune-env", so Pulumi would hand this key to nobody and it would be ignored; rename it to llama-finetune-env:a:b',
    ]);
  });
});
