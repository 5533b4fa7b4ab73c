/**
 * A fake Azure subscription and Pulumi state backend that answers the `az`, `pulumi` and
 * `npm` command lines the teardown runs, the way the real CLIs do:
 * - checks answer with exit code 0 (`az group exists` → true/false, `--query` lists → [] or
 *   [id], `pulumi stack ls --json`), or fail with the real "not found" wording;
 * - commands change the world (a workspace purge deletes it, `pulumi destroy` deletes the
 *   resource group and soft-deletes the key vault and AI Services account, a purge removes
 *   them from the soft-deleted lists, `pulumi stack rm` refuses a stack that still has
 *   resources) and fail the way Azure does on a missing target (404 ResourceGroupNotFound,
 *   DeletedVaultNotFound, ...), so a step that ran without its check would fail here too.
 *
 * Used in-process (`fakeExecutor`) and, compiled to JavaScript by `test/delivery/fakeBin.ts`,
 * as real `az`/`pulumi`/`npm` executables on PATH. Only Node built-ins are imported, so the
 * compiled file runs on its own.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FakeWorld {
  /** Stacks in the backend: resource count in the state, and the config of the last deployment (file text). */
  stacks: Record<string, { resources: number; config?: string }>;
  resourceGroups: string[];
  /**
   * Workspace name → resource group; `parent` is the hub of a project. A delete is a
   * long-running operation: the workspace stays listed (`deleting`) until it is waited for.
   */
  workspaces: Record<string, { resourceGroup: string; parent?: string; deleting?: boolean }>;
  /** Live key vaults and AI Services accounts: name → resource group. */
  vaults: Record<string, string>;
  accounts: Record<string, string>;
  deletedVaults: string[];
  deletedAccounts: string[];
  runningJobs: number;
  /** Command-line prefixes that fail once (then the entry is removed): simulates a transient failure. */
  failOnce: string[];
  /** Every command line received, in order. */
  calls: string[];
}

export interface FakeAnswer {
  code: number;
  stdout: string;
  stderr: string;
}

const ok = (stdout = ""): FakeAnswer => ({ code: 0, stdout, stderr: "" });
const fail = (stderr: string, code = 1): FakeAnswer => ({ code, stdout: "", stderr });

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The name in a `[?name=='x'].id` query. */
function queriedName(args: readonly string[]): string {
  return /name=='([^']+)'/.exec(flag(args, "--query") ?? "")?.[1] ?? "";
}

function workspaceFromId(id: string): { resourceGroup: string; name: string } {
  const m = /resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/?]+)/.exec(id);
  return { resourceGroup: m?.[1] ?? "", name: m?.[2] ?? "" };
}

const rgNotFound = (rg: string) => fail(`ERROR: (ResourceGroupNotFound) Resource group '${rg}' could not be found.\nCode: ResourceGroupNotFound`, 3);
const noStack = (stack: string) => fail(`error: no stack named '${stack}' found`, 255);

function az(world: FakeWorld, args: readonly string[]): FakeAnswer {
  const [group, verb] = args;
  if (group === "group" && verb === "exists") return ok(`${world.resourceGroups.includes(flag(args, "--name") ?? "")}\n`);
  if (group === "resource" && verb === "list") {
    const rg = flag(args, "--resource-group") ?? "";
    if (!world.resourceGroups.includes(rg)) return rgNotFound(rg);
    const name = flag(args, "--name") ?? "";
    const ws = world.workspaces[name];
    return ok(JSON.stringify(ws && ws.resourceGroup === rg ? [`/subscriptions/s/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${name}`] : []));
  }
  if (group === "rest" && flag(args, "--method") === "delete") {
    const { resourceGroup, name } = workspaceFromId(flag(args, "--url") ?? "");
    if (!world.resourceGroups.includes(resourceGroup)) return rgNotFound(resourceGroup);
    const child = Object.entries(world.workspaces).find(([, w]) => w.parent === name);
    if (child) return fail(`ERROR: Conflict({"error":{"code":"Conflict","message":"workspace ${name} still has project ${child[0]}"}})`);
    if (world.workspaces[name]) world.workspaces[name].deleting = true;
    return ok(); // Workspaces_Delete: 202 Accepted (or 204 when there was nothing to delete)
  }
  if (group === "resource" && verb === "wait") {
    const { resourceGroup, name } = workspaceFromId(flag(args, "--ids") ?? "");
    if (!world.resourceGroups.includes(resourceGroup)) return rgNotFound(resourceGroup);
    if (world.workspaces[name] && !world.workspaces[name].deleting) return fail("ERROR: timed out waiting for the deletion");
    delete world.workspaces[name];
    return ok();
  }
  if (group === "keyvault" && verb === "list-deleted") {
    const name = queriedName(args);
    return ok(JSON.stringify(world.deletedVaults.includes(name) ? [`/subscriptions/s/providers/Microsoft.KeyVault/locations/westus3/deletedVaults/${name}`] : []));
  }
  if (group === "keyvault" && verb === "purge") {
    const name = flag(args, "--name") ?? "";
    if (!world.deletedVaults.includes(name)) return fail(`ERROR: (DeletedVaultNotFound) Deleted vault '${name}' not found.`);
    world.deletedVaults = world.deletedVaults.filter((v) => v !== name);
    return ok();
  }
  if (group === "cognitiveservices" && args[2] === "list-deleted") {
    const name = queriedName(args);
    return ok(JSON.stringify(world.deletedAccounts.includes(name) ? [`/subscriptions/s/providers/Microsoft.CognitiveServices/locations/westus3/deletedAccounts/${name}`] : []));
  }
  if (group === "cognitiveservices" && args[2] === "purge") {
    const name = flag(args, "--name") ?? "";
    if (!world.deletedAccounts.includes(name)) return fail(`ERROR: (ResourceNotFound) The Resource 'Microsoft.CognitiveServices/deletedAccounts/${name}' was not found.`);
    world.deletedAccounts = world.deletedAccounts.filter((a) => a !== name);
    return ok();
  }
  return fail(`fake az: unexpected command: az ${args.join(" ")}`, 2);
}

function pulumi(world: FakeWorld, args: readonly string[], cwd: string): FakeAnswer {
  const stack = flag(args, "--stack") ?? "";
  if (args[0] === "stack" && args[1] === "ls") return ok(JSON.stringify(Object.keys(world.stacks).map((name) => ({ name, current: false }))));
  const state = world.stacks[stack];
  if (!state) return noStack(stack);
  if (args[0] === "stack" && args[1] === "export") {
    const resources = Array.from({ length: state.resources }, (_, i) => ({ urn: `urn:pulumi:${stack}::llama-finetune-env::r::${i}` }));
    return ok(JSON.stringify({ version: 3, deployment: state.resources > 0 ? { manifest: {}, resources } : { manifest: {} } }));
  }
  if (args[0] === "config" && args[1] === "refresh") {
    if (state.config === undefined) return fail(`error: no previous deployment of stack '${stack}'`, 255);
    writeFileSync(join(cwd, `Pulumi.${stack}.yaml`), state.config);
    return ok();
  }
  if (args[0] === "destroy") {
    // Everything in the resource groups goes; vaults and AI Services accounts are soft-deleted.
    for (const [name, ws] of Object.entries(world.workspaces)) if (world.resourceGroups.includes(ws.resourceGroup)) delete world.workspaces[name];
    for (const [name, rg] of Object.entries(world.vaults)) {
      if (!world.resourceGroups.includes(rg)) continue;
      world.deletedVaults.push(name);
      delete world.vaults[name];
    }
    for (const [name, rg] of Object.entries(world.accounts)) {
      if (!world.resourceGroups.includes(rg)) continue;
      world.deletedAccounts.push(name);
      delete world.accounts[name];
    }
    world.resourceGroups = [];
    state.resources = 0;
    return ok(`Destroying (${stack}): done\n`);
  }
  if (args[0] === "stack" && args[1] === "rm") {
    if (state.resources > 0) return fail(`error: '${stack}' still has resources; removal rejected. Possible actions:\n- Make sure that '${stack}' is the stack that you want to destroy\n- Run \`pulumi destroy\` to delete the resources, then run \`pulumi stack rm\``, 255);
    delete world.stacks[stack];
    return ok(`Stack '${stack}' has been removed!\n`);
  }
  return fail(`fake pulumi: unexpected command: pulumi ${args.join(" ")}`, 2);
}

function npm(world: FakeWorld, args: readonly string[]): FakeAnswer {
  if (args.join(" ").startsWith("run --silent finetune -- --stack") && args.includes("--cancel")) {
    const n = world.runningJobs;
    world.runningJobs = 0;
    return ok(n > 0 ? `cancelled ${n} running job(s)\n` : "skipped: no running job\n");
  }
  return fail(`fake npm: unexpected command: npm ${args.join(" ")}`, 2);
}

/** Answers one command line and updates the world. */
export function answer(world: FakeWorld, argv: readonly string[], cwd: string): FakeAnswer {
  const line = argv.join(" ");
  world.calls.push(line);
  const failing = world.failOnce.find((prefix) => line.startsWith(prefix));
  if (failing) {
    world.failOnce = world.failOnce.filter((p) => p !== failing);
    return fail(`ERROR: (TooManyRequests) injected failure of: ${failing}`, 1);
  }
  const [tool, ...args] = argv;
  if (tool === "az") return az(world, args);
  if (tool === "pulumi") return pulumi(world, args, cwd);
  if (tool === "npm") return npm(world, args);
  return fail(`fake: unknown program ${tool}`, 127);
}

/** Run as a program: `node fakeCloud.js <tool> args...`, world in $FAKE_CLOUD_STATE (JSON). */
function main(): void {
  const file = process.env.FAKE_CLOUD_STATE ?? "";
  if (!existsSync(file)) {
    process.stderr.write("fake cloud: FAKE_CLOUD_STATE does not name a file\n");
    process.exit(2);
  }
  const world = JSON.parse(readFileSync(file, "utf8")) as FakeWorld;
  const result = answer(world, process.argv.slice(2), process.cwd());
  writeFileSync(file, JSON.stringify(world, null, 2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}

if (require.main === module) main();
