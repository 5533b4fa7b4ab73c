/**
 * The teardown's checks one by one: how each CLI's output is read (true/false, JSON lists,
 * `pulumi stack ls --json`, `pulumi stack export`), what happens when a check's output is not
 * what was expected, how a container's absence is reported, and the real process executor
 * (real child processes of this Node, no shell).
 */
import { existsSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkPresence,
  NOT_FOUND,
  ProbeFailed,
  processExecutor,
  runSteps,
  saysNotFound,
  StepFailed,
  TeardownRefusal,
  UsageError,
  type Captured,
  type Executor,
  type Probe,
  type TeardownStep,
} from "../../teardown";
import {
  deletedAiServicesProbe,
  deletedKeyVaultProbe,
  excerpt,
  parseBoolean,
  parseHasResources,
  parseNonEmptyList,
  parseStackListed,
  ProbeOutputError,
  resourceGroupProbe,
  stackProbe,
  stateResourcesProbe,
  workspaceProbe,
} from "../../teardown/probe";

const node = "unused-program";

describe("the process executor (real child processes, no shell between)", () => {
  const cwd = mkdtempSync(join(tmpdir(), "teardown-exec-"));
  // sh and printf start in milliseconds (a Node child takes a second on a busy machine).
  const sh = (script: string) => ["sh", "-c", script];

  test("a step resolves with the program's exit code, run in the given directory", async () => {
    await expect(processExecutor.run(sh("exit 0"), cwd)).resolves.toBe(0);
    await expect(processExecutor.run(sh("exit 7"), cwd)).resolves.toBe(7);
    await expect(processExecutor.run(sh("touch ran-here"), cwd)).resolves.toBe(0);
    expect(existsSync(join(cwd, "ran-here"))).toBe(true);
  });

  test("a check captures stdout and stderr apart, with the exit code, in the given directory", async () => {
    await expect(processExecutor.capture(sh("printf out; printf err >&2; exit 3"), cwd)).resolves.toEqual({ code: 3, stdout: "out", stderr: "err" });
    await expect(processExecutor.capture(sh("pwd"), cwd)).resolves.toMatchObject({ stdout: `${realpathSync(cwd)}\n` });
  });

  test("arguments reach the program as they are (no shell interprets them)", async () => {
    const r = await processExecutor.capture(["printf", "[%s]", "a b", "$HOME", "'x'"], cwd);
    expect(r.stdout).toBe("[a b][$HOME]['x']");
  });

  test("a program killed by a signal counts as failed (128), not as success", async () => {
    await expect(processExecutor.run(sh("kill -TERM $$"), cwd)).resolves.toBe(128);
    await expect(processExecutor.capture(sh("kill -TERM $$"), cwd)).resolves.toMatchObject({ code: 128 });
  });

  test("a check never waits for input: its stdin is closed", async () => {
    await expect(processExecutor.capture(["cat"], cwd)).resolves.toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("a program that does not exist rejects with ENOENT", async () => {
    await expect(processExecutor.run(["no-such-program-llft"], cwd)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(processExecutor.capture(["no-such-program-llft"], cwd)).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("the teardown's errors say what kind they are when printed", () => {
  test.each([
    [new UsageError("m"), "UsageError: m"],
    [new TeardownRefusal("m"), "TeardownRefusal: m"],
    [new StepFailed("m", "destroy"), "StepFailed: m"],
    [new ProbeFailed("m"), "ProbeFailed: m"],
    [new ProbeOutputError("m"), "ProbeOutputError: m"],
  ])("%s", (error, printed) => expect(String(error)).toBe(printed));
});

describe("reading the CLIs' answers", () => {
  test("az group exists: true or false, anything else is an error naming what came back", () => {
    expect(parseBoolean("true\n")).toBe(true);
    expect(parseBoolean(" false ")).toBe(false);
    expect(() => parseBoolean("yes")).toThrow(new ProbeOutputError("expected true or false, got: yes"));
  });

  test("a --query list: present when it is not empty; not JSON or not a list is an error", () => {
    expect(parseNonEmptyList('["/subscriptions/x"]')).toBe(true);
    expect(parseNonEmptyList("[]")).toBe(false);
    expect(() => parseNonEmptyList("oops")).toThrow(new ProbeOutputError("expected a JSON list as JSON, got: oops"));
    expect(() => parseNonEmptyList('{"a":1}')).toThrow(new ProbeOutputError('expected a JSON list, got: {"a":1}'));
  });

  test("pulumi stack ls --json: the stack is listed by its short or qualified name, and only that stack", () => {
    const list = JSON.stringify([{ name: "org/llama-finetune-env/pr-42", current: false }, { name: "dev" }]);
    expect(parseStackListed("pr-42")(list)).toBe(true);
    expect(parseStackListed("dev")(list)).toBe(true);
    expect(parseStackListed("pr-4")(list)).toBe(false);
    expect(parseStackListed("llama-finetune-env")(list)).toBe(false);
    expect(() => parseStackListed("pr-42")('[{"id":1}]')).toThrow(/expected the list printed by "pulumi stack ls --json", got: /);
  });

  test("pulumi stack export: resources present only when the deployment lists some", () => {
    expect(parseHasResources(JSON.stringify({ deployment: { resources: [{ urn: "u" }] } }))).toBe(true);
    expect(parseHasResources(JSON.stringify({ deployment: { resources: [] } }))).toBe(false);
    expect(parseHasResources(JSON.stringify({ deployment: { resources: null } }))).toBe(false);
    expect(parseHasResources(JSON.stringify({ deployment: {} }))).toBe(false);
    expect(parseHasResources(JSON.stringify({ deployment: null }))).toBe(false);
    expect(parseHasResources(JSON.stringify({ version: 3 }))).toBe(false);
    expect(() => parseHasResources(JSON.stringify({ deployment: { resources: "many" } }))).toThrow(/expected the state printed by "pulumi stack export"/);
  });

  test("excerpt: one line, at most 300 characters, and says when there was no output", () => {
    expect(excerpt("  a\n\n b\tc  ")).toBe("a b c");
    expect(excerpt(" \n ")).toBe("(no output)");
    expect(excerpt("x".repeat(300))).toBe("x".repeat(300));
    expect(excerpt("x".repeat(301))).toBe(`${"x".repeat(300)}…`);
  });

  test.each([
    ["ERROR: (ParentResourceNotFound) Failed to perform 'read'", true],
    ["ERROR: The vault 'kv' could not be found", true],
    ["error: stack not found", true],
    ["the NotFoundation report", false],
    ["bash: az: command not found", false],
  ])("%s: not found is %s", (text, absent) => {
    expect(NOT_FOUND.test(text)).toBe(absent);
    expect(saysNotFound(text)).toBe(absent);
  });
});

describe("the checks each step runs", () => {
  test("the read-only commands, with the subscription and names they address", () => {
    expect(resourceGroupProbe("rg", "sub")).toMatchObject({ target: "resource group rg", argv: ["az", "group", "exists", "--name", "rg", "--subscription", "sub"] });
    expect(workspaceProbe("hub", "h", "rg", "sub")).toMatchObject({ target: "AI Studio hub workspace h", within: { target: "resource group rg" } });
    expect(deletedKeyVaultProbe("kv", "sub")).toMatchObject({ target: "soft-deleted key vault kv" });
    expect(deletedAiServicesProbe("ai", "sub")).toMatchObject({ target: "soft-deleted AI Services account ai" });
    expect(stackProbe("pr-1")).toMatchObject({ target: "stack pr-1 in the state backend", argv: ["pulumi", "stack", "ls", "--json"] });
    expect(stateResourcesProbe("pr-1")).toMatchObject({
      target: "a resource in the state of stack pr-1",
      argv: ["pulumi", "stack", "export", "--stack", "pr-1"],
      within: { target: "stack pr-1 in the state backend" },
    });
  });
});

/** An executor that answers each check command line from a table (and records what it was asked). */
function answering(table: Record<string, Captured>, asked: string[] = []): Executor {
  return {
    run: async () => {
      throw new Error("a check never runs a step");
    },
    capture: async (argv) => {
      asked.push(argv.join(" "));
      const answer = table[argv.join(" ")];
      if (!answer) throw new Error(`unexpected check: ${argv.join(" ")}`);
      return answer;
    },
  };
}

describe("checkPresence", () => {
  const rg = resourceGroupProbe("rg", "sub");
  const ws = workspaceProbe("project", "p", "rg", "sub");
  const rgLine = rg.argv.join(" ");
  const wsLine = ws.argv.join(" ");

  test("a target known to be absent asks nothing and says why", async () => {
    const asked: string[] = [];
    const probe: Probe = { kind: "absent", target: "the hub", reason: "stack pr-7 was never deployed" };
    await expect(checkPresence(probe, answering({}, asked), "/tmp")).resolves.toEqual({ present: false, reason: "the hub does not exist: stack pr-7 was never deployed" });
    expect(asked).toEqual([]);
  });

  test("the container is asked first; when it is absent, the target is not asked", async () => {
    const asked: string[] = [];
    const r = await checkPresence(ws, answering({ [rgLine]: { code: 0, stdout: "false\n", stderr: "" } }, asked), "/tmp");
    expect(r).toEqual({ present: false, reason: "resource group rg does not exist, so AI Studio project workspace p does not exist either" });
    expect(asked).toEqual([rgLine]);
  });

  test("present when the container and the target both answer so; absent when the target's list is empty", async () => {
    const yes = { [rgLine]: { code: 0, stdout: "true", stderr: "" }, [wsLine]: { code: 0, stdout: '["id"]', stderr: "" } };
    await expect(checkPresence(ws, answering(yes), "/tmp")).resolves.toEqual({ present: true });
    const empty = { ...yes, [wsLine]: { code: 0, stdout: "[]", stderr: "" } };
    await expect(checkPresence(ws, answering(empty), "/tmp")).resolves.toEqual({ present: false, reason: "AI Studio project workspace p does not exist" });
  });

  test("a failed check whose output says not found means absent, quoting the output", async () => {
    const exec = answering({ [rgLine]: { code: 3, stdout: "", stderr: "ERROR: (ResourceGroupNotFound) Resource group 'rg'\n could not be found." } });
    await expect(checkPresence(rg, exec, "/tmp")).resolves.toEqual({
      present: false,
      reason: "resource group rg does not exist (ERROR: (ResourceGroupNotFound) Resource group 'rg' could not be found.)",
    });
  });

  test("exit 0 with unreadable output: absent only if the output says not found, otherwise the check fails with its command", async () => {
    const notFound = answering({ [rgLine]: { code: 0, stdout: "", stderr: "WARNING: (ResourceGroupNotFound) gone" } });
    await expect(checkPresence(rg, notFound, "/tmp")).resolves.toEqual({ present: false, reason: "resource group rg does not exist (WARNING: (ResourceGroupNotFound) gone)" });
    const garbled = answering({ [rgLine]: { code: 0, stdout: "maybe", stderr: "" } });
    const failure = checkPresence(rg, garbled, "/tmp");
    await expect(failure).rejects.toThrow(ProbeFailed);
    await expect(failure).rejects.toThrow(`could not check for resource group rg: expected true or false, got: maybe\n  check: ${rgLine}`);
  });

  test("a check that fails otherwise stops with the exit code, the output and the command", async () => {
    const exec = answering({ [rgLine]: { code: 2, stdout: "partial", stderr: "ERROR: Please run 'az login'" } });
    await expect(checkPresence(rg, exec, "/tmp")).rejects.toThrow(
      new ProbeFailed(`could not check for resource group rg: exit code 2: partial ERROR: Please run 'az login'\n  check: ${rgLine}`),
    );
  });

  test("a check that cannot start names the program, or passes on the error", async () => {
    const missing: Executor = { run: async () => 0, capture: async () => Promise.reject(Object.assign(new Error("spawn az ENOENT"), { code: "ENOENT" })) };
    await expect(checkPresence(rg, missing, "/tmp")).rejects.toThrow(new ProbeFailed('could not check for resource group rg: "az" is not installed or not on PATH'));
    const denied: Executor = { run: async () => 0, capture: async () => Promise.reject(Object.assign(new Error("spawn az EACCES"), { code: "EACCES" })) };
    await expect(checkPresence(rg, denied, "/tmp")).rejects.toThrow(new ProbeFailed("could not check for resource group rg: spawn az EACCES"));
  });

  test("an unexpected error inside a parser is not mistaken for a check failure", async () => {
    const probe: Probe = { kind: "command", target: "t", argv: ["x"], parse: () => { throw new TypeError("bug"); } };
    await expect(checkPresence(probe, answering({ x: { code: 0, stdout: "", stderr: "NotFound" } }), "/tmp")).rejects.toThrow(TypeError);
  });
});

describe("the runner's defaults and its own errors", () => {
  const cwd = mkdtempSync(join(tmpdir(), "teardown-run-"));
  const check = (present: boolean): Probe => ({ kind: "command", target: "the thing", argv: ["printf", String(present)], parse: parseBoolean });

  test("without an executor and a log, steps run as real processes and the log goes to stderr", async () => {
    const steps: TeardownStep[] = [
      { id: "destroy", title: "make a file", argv: ["sh", "-c", "echo x > made"], probe: check(true) },
      { id: "stack-rm", title: "not needed", argv: ["sh", "-c", "exit 1"], probe: check(false) },
    ];
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    try {
      await expect(runSteps(steps, { cwd, rerunCommand: "again" })).resolves.toEqual([
        { id: "destroy", ran: true },
        { id: "stack-rm", ran: false, reason: "the thing does not exist" },
      ]);
    } finally {
      spy.mockRestore();
    }
    expect(existsSync(join(cwd, "made"))).toBe(true);
    expect(written).toEqual(["==> [1/2] destroy: make a file\n", "    $ sh -c 'echo x > made'\n", "==> [2/2] stack-rm: not needed\n", "    skipped: the thing does not exist\n"]);
  });

  test("an error in the teardown's own code during a check is passed on, not reported as a failed step", async () => {
    const bug: Executor = { run: async () => 0, capture: async () => ({ code: 0, stdout: "", stderr: "" }) };
    const throwing: Probe = { kind: "command", target: "t", argv: [node], parse: () => { throw new RangeError("bug"); } };
    const r = runSteps([{ id: "destroy", title: "t", argv: [node], probe: throwing }], { cwd, log: () => undefined, rerunCommand: "again", exec: bug });
    await expect(r).rejects.toThrow(RangeError);
  });
});
