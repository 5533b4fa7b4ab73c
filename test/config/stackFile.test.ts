/**
 * `readStackFile` (config/stackFile.ts): how the tools that run without the Pulumi CLI (offline
 * plan, teardown) read `Pulumi.<stack>.yaml`: values as the CLI hands them to a program (strings,
 * objects as JSON), encrypted values kept out, and every way the file can be wrong refused with
 * the path and what to do. Each test writes its own file into a temp directory.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStackFile, SECRET_PLACEHOLDER, StackFileError } from "../../config/stackFile";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "llft-stackfile-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(stack: string, text: string): string {
  const path = join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(path, text);
  return path;
}

function refusal(stack: string): StackFileError {
  try {
    readStackFile(dir, stack);
  } catch (error) {
    expect(error).toBeInstanceOf(StackFileError);
    expect((error as Error).name).toBe("StackFileError");
    return error as StackFileError;
  }
  throw new Error("expected a StackFileError");
}

describe("readStackFile", () => {
  test("hands values over as the Pulumi CLI does: strings as they are, everything else as JSON", () => {
    const path = write(
      "dev",
      [
        "config:",
        "  llama-finetune-env:environment: dev",
        '  llama-finetune-env:nameSalt: "0042"',
        "  llama-finetune-env:contentSafety: false",
        "  llama-finetune-env:budget:",
        "    amount: 100",
        "    contactEmails: [a@example.com]",
        "  azure-native:location: westus3",
        "",
      ].join("\n"),
    );
    expect(readStackFile(dir, "dev")).toEqual({
      path,
      config: {
        "llama-finetune-env:environment": "dev",
        "llama-finetune-env:nameSalt": "0042",
        "llama-finetune-env:contentSafety": "false",
        "llama-finetune-env:budget": '{"amount":100,"contactEmails":["a@example.com"]}',
        "azure-native:location": "westus3",
      },
      secretKeys: [],
    });
  });

  test("keeps encrypted values out: the key is listed as secret and its value reads [secret]", () => {
    write("prod", ["config:", "  llama-finetune-env:costCenter: cc-1", "  llama-finetune-env:webhook:", "    secure: AAABAHh0ZXN0Y2lwaGVy", ""].join("\n"));
    const file = readStackFile(dir, "prod");
    expect(SECRET_PLACEHOLDER).toBe("[secret]");
    expect(file.secretKeys).toEqual(["llama-finetune-env:webhook"]);
    expect(file.config).toEqual({ "llama-finetune-env:costCenter": "cc-1", "llama-finetune-env:webhook": "[secret]" });
  });

  test("a map with more than `secure` in it is a value, not a secret", () => {
    write("dev", ["config:", "  llama-finetune-env:x:", "    secure: abc", "    other: 1", ""].join("\n"));
    expect(readStackFile(dir, "dev")).toMatchObject({ config: { "llama-finetune-env:x": '{"secure":"abc","other":1}' }, secretKeys: [] });
  });

  test.each([
    ["an empty file", ""],
    ["a file without config", "encryptionsalt: v1:abc\n"],
    ["an empty config", "config:\n"],
  ])("%s has no config values", (_what, text) => {
    write("pr-7", text);
    expect(readStackFile(dir, "pr-7")).toMatchObject({ config: {}, secretKeys: [] });
  });

  test("invalid YAML is refused with the path and the parser's position", () => {
    const path = write("dev", "config:\n  llama-finetune-env:budget: {amount: 100\n");
    const error = refusal("dev");
    expect(error.message.startsWith(`${path} is not valid YAML: `)).toBe(true);
    expect(error.message).toMatch(/ at line 3, column 1:/);
  });

  test.each([
    ["a list", "config:\n  - llama-finetune-env:environment: dev\n"],
    ["a string", "config: dev\n"],
  ])('"config" as %s is refused', (_what, text) => {
    const path = write("dev", text);
    expect(refusal("dev").message).toBe(`${path}: "config" must be a map of "namespace:key: value" entries`);
  });

  test("a file that is not a map at all is refused the same way", () => {
    const path = write("dev", "- just\n- a list\n");
    expect(refusal("dev").message).toBe(`${path}: "config" must be a map of "namespace:key: value" entries`);
  });

  test("a directory in the file's place is named as one, not as invalid YAML", () => {
    const path = join(dir, "Pulumi.dev.yaml");
    mkdirSync(path);
    expect(refusal("dev").message).toBe(`${path} is a directory, not a stack file: move it away and create the file (copy Pulumi.test.yaml for a short-lived stack)`);
  });

  // root reads a file of mode 000, so there the refusal cannot be produced: skipped, saying why.
  const rootReadsAll = process.getuid?.() === 0;
  if (rootReadsAll) console.log("skipped: \"a file this user may not read\" needs a user other than root (root reads a file of mode 000)");
  (rootReadsAll ? test.skip : test)("a file this user may not read is named with the reason", () => {
    const path = write("dev", "config: {}\n");
    chmodSync(path, 0o000);
    expect(refusal("dev").message).toBe(`${path} cannot be read (EACCES): check that this user may read it`);
  });

  test("a missing file names the path and what to do", () => {
    expect(refusal("pr-42").message).toBe(`${join(dir, "Pulumi.pr-42.yaml")} does not exist: create it (copy Pulumi.test.yaml for a short-lived stack) or pick another --stack`);
  });

  test.each(["../prod", "a/b", "", "pr 42", "a..b", "x".repeat(101), "prod\n"])("the stack name %j is refused before any path is built", (stack) => {
    expect(refusal(stack).message).toBe(`"${stack}" is not a valid stack name: use letters, digits, "-", "_" or "." (e.g. dev, prod, pr-42)`);
  });

  test.each(["pr-42", "feature_x.1", "A", "x".repeat(100)])("the stack name %j is accepted", (stack) => {
    write(stack, "config:\n  llama-finetune-env:environment: test\n");
    expect(readStackFile(dir, stack).config).toEqual({ "llama-finetune-env:environment": "test" });
  });
});
