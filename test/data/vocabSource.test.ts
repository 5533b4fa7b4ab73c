/**
 * Where the vocabularies come from (data/tokens/vocab.ts `bakedConstants`): the base64 constants
 * of the tokenizer packages' main files; a package whose file no longer has them is named with
 * what to check, rather than decoded into a wrong vocabulary.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { bakedConstants } from "../../data/tokens/vocab";

const dir = mkdtempSync(path.join(os.tmpdir(), "vocab-src-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pkgFile(name: string, src: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, src);
  return file;
}

test("the two constants are decoded from base64, whatever comes around them", () => {
  const vocab = Buffer.from("tok\nens");
  const merges = Buffer.from([0, 1, 2, 255]);
  const file = pkgFile("ok.js", `let a = 1;\nconst llama_merges_binary = "${merges.toString("base64")}";\nconst other = "x";\nconst llama_vocab_base64 = "${vocab.toString("base64")}";\nexport default a;\n`);
  expect(bakedConstants(file)).toEqual({ vocab, merges });
});

test("a main file without one of the constants, or with one unterminated, names the file, the constant and the pinned package", () => {
  const cases: [string, string, string][] = [
    ["no-vocab.js", `const llama_merges_binary = "AAEC";\n`, "llama_vocab_base64"],
    ["no-merges.js", `const llama_vocab_base64 = "dG9r";\n`, "llama_merges_binary"],
    ["unterminated.js", `const llama_merges_binary = "AAEC";\nconst llama_vocab_base64 = "dG9r`, "llama_vocab_base64"],
    ["renamed.js", `const llama_vocab = "dG9r";\nconst llama_merges_binary = "AAEC";\n`, "llama_vocab_base64"],
  ];
  for (const [name, src, missing] of cases) {
    const file = pkgFile(name, src);
    expect(() => bakedConstants(file)).toThrow(`${file} has no ${missing}; the tokenizer package changed (expected ${file} as pinned in package.json)`);
  }
});

test("the pinned packages have both constants", () => {
  for (const pkg of ["llama3-tokenizer-js", "llama-tokenizer-js"]) {
    const { vocab, merges } = bakedConstants(pkg);
    expect(vocab.length).toBeGreaterThan(100_000);
    expect(merges.length).toBeGreaterThan(100_000);
  }
});
