/**
 * Worlds for the fake cloud (test/delivery/fakeCloud.ts), used two ways:
 * - in-process, as the teardown's Executor;
 * - as real programs: fakeCloud.ts compiled to JavaScript with TypeScript's own transpiler,
 *   behind `az`, `pulumi` and `npm` shell wrappers in a temporary bin directory, with the
 *   world kept in a JSON file between calls.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import ts from "typescript";
import { stackNames } from "../../config/naming";
import type { Executor } from "../../teardown";
import { answer, type FakeWorld } from "./fakeCloud";
import { SUBSCRIPTION } from "./fixtures";

/** A world in which stack `stack` (salt `salt`, default prefix) is fully deployed. */
export function deployedWorld(stack: string, salt: string, config: string): FakeWorld {
  const n = stackNames({ prefix: "llft", project: "llama-finetune-env", stack, salt, subscriptionId: SUBSCRIPTION });
  return {
    stacks: { [stack]: { resources: 12, config } },
    resourceGroups: [n.resourceGroup],
    workspaces: { [n.hub]: { resourceGroup: n.resourceGroup }, [n.project]: { resourceGroup: n.resourceGroup, parent: n.hub } },
    vaults: { [n.keyVault]: n.resourceGroup },
    accounts: { [n.aiServices]: n.resourceGroup },
    deletedVaults: [],
    deletedAccounts: [],
    runningJobs: 1,
    failOnce: [],
    calls: [],
  };
}

export function emptyWorld(): FakeWorld {
  return { stacks: {}, resourceGroups: [], workspaces: {}, vaults: {}, accounts: {}, deletedVaults: [], deletedAccounts: [], runningJobs: 0, failOnce: [], calls: [] };
}

/** What a teardown leaves behind that it should not: empty when everything is gone. */
export function leftovers(world: FakeWorld): string[] {
  return [
    ...Object.keys(world.stacks).map((s) => `stack ${s}`),
    ...world.resourceGroups.map((g) => `resource group ${g}`),
    ...Object.keys(world.workspaces).map((w) => `workspace ${w}`),
    ...world.deletedVaults.map((v) => `soft-deleted vault ${v}`),
    ...world.deletedAccounts.map((a) => `soft-deleted account ${a}`),
    ...(world.runningJobs > 0 ? [`${world.runningJobs} running job(s)`] : []),
  ];
}

/** The teardown's Executor over an in-memory world; step output is collected in `transcript`. */
export function fakeExecutor(world: FakeWorld, transcript: string[] = []): Executor {
  return {
    run: async (argv, cwd) => {
      const r = answer(world, argv, cwd);
      transcript.push(r.stdout, r.stderr);
      return r.code;
    },
    capture: async (argv, cwd) => answer(world, argv, cwd),
  };
}

export interface FakeBin {
  /** PATH with the fakes first. */
  path: string;
  stateFile: string;
  read(): FakeWorld;
  write(world: FakeWorld): void;
}

/** `az`, `pulumi` and `npm` executables answering from a world kept in a JSON file. */
export function fakeBin(world: FakeWorld): FakeBin {
  const dir = mkdtempSync(join(tmpdir(), "fake-cloud-"));
  const source = readFileSync(join(__dirname, "fakeCloud.ts"), "utf8");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  writeFileSync(join(dir, "fakeCloud.js"), js);
  const stateFile = join(dir, "world.json");
  for (const tool of ["az", "pulumi", "npm"]) {
    writeFileSync(join(dir, tool), `#!/bin/sh\nexec "${process.execPath}" "${join(dir, "fakeCloud.js")}" ${tool} "$@"\n`);
    chmodSync(join(dir, tool), 0o755);
  }
  const bin: FakeBin = {
    path: `${dir}${delimiter}${process.env.PATH ?? ""}`,
    stateFile,
    read: () => JSON.parse(readFileSync(stateFile, "utf8")) as FakeWorld,
    write: (w) => writeFileSync(stateFile, JSON.stringify(w, null, 2)),
  };
  bin.write(world);
  return bin;
}
