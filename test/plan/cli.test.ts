/**
 * `npm run plan` end to end: the real command, its outputs and exit codes.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR, repoStackConfig, writeStackFile } from "../helpers/plan";

interface PlanJson {
  stack: string;
  resources: Array<{ urn: string; type: string; name: string; parent: string | null; dependsOn: string[]; inputs: Record<string, unknown>; protect: boolean; retainOnDelete: boolean }>;
  waves: string[][];
  destroyOrder: string[];
  outputs: Record<string, unknown>;
  warnings: string[];
  violations: Array<{ policy: string; enforcement: string; message: string }>;
  deployability: Array<{ rule: string; severity: string; message: string }>;
  deployer: { objectId: string; principalType: string; detectedFrom: string };
}

/** The caller's environment without Azure credentials, and an empty Azure CLI profile directory. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ARM_") && k !== "AZURE_CONFIG_DIR"));
  return { ...env, AZURE_CONFIG_DIR: mkdtempSync(join(tmpdir(), "llft-az-")), ...extra };
}

function plan(args: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  const result = spawnSync(process.execPath, [join(PROJECT_DIR, "node_modules/tsx/dist/cli.mjs"), join(PROJECT_DIR, "cli/plan.ts"), ...args], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
    timeout: 120_000,
    env,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const urnOf = (p: PlanJson, type: string, pred: (r: PlanJson["resources"][number]) => boolean = () => true) => {
  const found = p.resources.filter((r) => r.type === type && pred(r));
  expect(found).toHaveLength(1);
  return found[0].urn;
};

describe("plan --json", () => {
  const out = mkdtempSync(join(tmpdir(), "llft-plan-"));
  let dev: PlanJson;
  let run: ReturnType<typeof plan>;

  beforeAll(() => {
    run = plan(["--stack", "dev", "--json", "--mermaid", join(out, "dev.mmd"), "--markdown", join(out, "dev.md")]);
    dev = JSON.parse(run.stdout) as PlanJson;
  });

  test("exits 0 and records every resource with type, parent, dependencies, inputs and options", () => {
    expect(run.code).toBe(0);
    expect(dev.stack).toBe("dev");
    const custom = dev.resources.filter((r) => !r.type.startsWith("llama-finetune:") && r.type !== "pulumi:pulumi:Stack");
    expect(custom.length).toBeGreaterThan(25);
    for (const r of dev.resources) {
      expect(r.urn).toMatch(/^urn:pulumi:dev::llama-finetune-env::/);
      expect(Array.isArray(r.dependsOn)).toBe(true);
    }
    const storage = dev.resources.find((r) => r.type === "azure-native:storage:StorageAccount");
    expect(storage?.parent).toMatch(/llama-finetune:hub:AiHub::llama-hub$/);
    // Inputs that come from other resources render as ARM ids, as they would in a preview.
    const project = dev.resources.find((r) => r.type === "azure-native:machinelearningservices:Workspace" && r.inputs.kind === "Project");
    expect(project?.inputs.hubResourceId).toMatch(/^\/subscriptions\/[0-9a-f-]+\/resourceGroups\/llft-rg-dev-[0-9a-f]{6}\/providers\/Microsoft\.MachineLearningServices\/workspaces\/llft-hub-dev-[0-9a-f]{6}$/);
  });

  test("resources are in stable (URN) order and secrets are hidden", () => {
    const urns = dev.resources.map((r) => r.urn);
    expect(urns).toEqual([...urns].sort((a, b) => a.localeCompare(b)));
    expect(JSON.stringify(dev)).not.toContain("mock-primary-key");
    expect((dev.outputs.baseEndpoint as Record<string, unknown>).primaryKey).toBe("[secret]");
  });

  test("waves: registrations and the resource group first, endpoints last; every dependency in an earlier wave", () => {
    const waveOf = new Map(dev.waves.flatMap((wave, i) => wave.map((urn) => [urn, i] as const)));
    const rg = urnOf(dev, "azure-native:resources:ResourceGroup");
    expect(waveOf.get(rg)).toBe(0);
    const endpoint = urnOf(dev, "azure-native:machinelearningservices:ServerlessEndpoint");
    expect(waveOf.get(endpoint)).toBe(dev.waves.length - 1);
    for (const r of dev.resources) {
      for (const dep of r.dependsOn) {
        if (waveOf.has(r.urn) && waveOf.has(dep)) expect(waveOf.get(dep)!).toBeLessThan(waveOf.get(r.urn)!);
      }
    }
    expect(dev.waves.length).toBeLessThanOrEqual(8);
  });

  test("destroy order: endpoints before the subscription and the project, the project before the hub", () => {
    const at = (urn: string) => dev.destroyOrder.indexOf(urn);
    const endpoint = urnOf(dev, "azure-native:machinelearningservices:ServerlessEndpoint");
    const subscription = urnOf(dev, "azure-native:machinelearningservices:MarketplaceSubscription");
    const project = urnOf(dev, "azure-native:machinelearningservices:Workspace", (r) => r.inputs.kind === "Project");
    const hub = urnOf(dev, "azure-native:machinelearningservices:Workspace", (r) => r.inputs.kind === "Hub");
    expect(at(endpoint)).toBeLessThan(at(subscription));
    expect(at(endpoint)).toBeLessThan(at(project));
    expect(at(subscription)).toBeLessThan(at(project));
    expect(at(project)).toBeLessThan(at(hub));
  });

  test("writes a Mermaid flowchart with components as subgraphs and dependency arrows", () => {
    const mermaid = readFileSync(join(out, "dev.mmd"), "utf8");
    expect(mermaid.startsWith("flowchart LR\n")).toBe(true);
    expect(mermaid).toMatch(/subgraph r\d+\["llama-hub"\]/);
    expect(mermaid).toMatch(/subgraph r\d+\["llama-endpoints"\]/);
    expect(mermaid).toMatch(/r\d+ --> r\d+/);
    expect(mermaid.match(/subgraph/g)?.length).toBe(mermaid.match(/^\s*end$/gm)?.length);
  });

  test("what Azure depends on is in the JSON, and nothing Azure would refuse", () => {
    expect(dev.deployability).toEqual([]);
    const grants = dev.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
    for (const g of grants) expect(["User", "Group", "ServicePrincipal"]).toContain(g.inputs.principalType);
    // No grant of Storage Blob Data Contributor on the storage account itself (Azure gives the hub's identity that role).
    const onAccount = grants.filter((g) => /\/storageAccounts\/[^/]+$/.test(String(g.inputs.scope)) && String(g.inputs.roleDefinitionId).endsWith("ba92f5b4-2d11-453d-a403-e96b0029c9fe"));
    expect(onAccount).toEqual([]);
    // Data assets and versions archive themselves on delete and never send DELETE (arm/dataAssetResource.ts): not retained.
    const data = dev.resources.filter((r) => /llama-finetune:DataAsset(Version)?$/.test(r.type));
    expect(data).toHaveLength(4);
    for (const r of data) expect(r.retainOnDelete).toBe(false);
    // Nothing tells the type of whoever runs the plan here: it is assumed and said so.
    expect(dev.deployer.principalType).toBe("User");
    expect(dev.warnings.join("\n")).toMatch(/the deployer's principal type is not known .* set llama-finetune-env:deployerPrincipalType/);
  });

  test("writes a Markdown summary for a pull-request comment", () => {
    const markdown = readFileSync(join(out, "dev.md"), "utf8");
    expect(markdown).toMatch(/^## Offline plan: stack `dev` \(dev\)/);
    expect(markdown).toContain("| `llama-endpoints-base` | `machinelearningservices:ServerlessEndpoint` |");
    expect(markdown).toContain("```mermaid\nflowchart LR");
  });
});

test.each(["prod", "test"])("the %s stack plans cleanly", (stack) => {
  const run = plan(["--stack", stack]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`^Offline plan for stack "${stack}"`));
  expect(run.stdout).toContain("Policy violations: none");
  expect(run.stdout).toContain("Deployability (what Azure would refuse): none");
});

test("with the CI's service-principal variables, the deployer's upload grant is for a ServicePrincipal", () => {
  const run = plan(["--stack", "dev", "--json"], cleanEnv({ ARM_CLIENT_ID: "00000000-aaaa-4bbb-8ccc-000000000001", ARM_TENANT_ID: "t", ARM_USE_OIDC: "true" }));
  expect(run.code).toBe(0);
  const json = JSON.parse(run.stdout) as PlanJson;
  const uploader = json.resources.find((r) => r.name.endsWith("-uploader-access"));
  expect(uploader?.inputs.principalType).toBe("ServicePrincipal");
  expect(json.deployer).toMatchObject({ principalType: "ServicePrincipal", detectedFrom: expect.stringContaining("ARM_CLIENT_ID") });
});

test("bad config: exit 1, every problem named, no stack trace", () => {
  const dir = writeStackFile("dev", { ...repoStackConfig("dev"), location: "eastus", budget: { amount: 0, contactEmails: ["a@example.com"] } });
  const run = plan(["--stack", "dev", "--config-dir", dir]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("Invalid stack configuration in Pulumi.dev.yaml (2 problems)");
  expect(run.stderr).toContain('llama-finetune-env:location: "eastus" is not a region where Meta-Llama-3.1-8B-Instruct can be fine-tuned; allowed: "westus3"');
  expect(run.stderr).toContain("llama-finetune-env:budget.amount: 0 must be greater than 0");
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe("");
});

test("a prod config with content safety off is refused by the policy pack", () => {
  const dir = writeStackFile("prod", { ...repoStackConfig("prod"), contentSafety: false });
  const run = plan(["--stack", "prod", "--config-dir", dir]);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/x \[mandatory\] serverless-endpoint-content-safety: /);
  expect(run.stderr).toMatch(/Refused: 1 mandatory policy violation/);
});

test("bad flags exit 2", () => {
  const run = plan(["--stack", "../etc"]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("--stack must be a stack name");
});

describe("output files and pipes (nothing is overwritten, no stack trace)", () => {
  // The refusals happen before the plan runs, so these are quick.
  const dir = writeStackFile("dev", repoStackConfig("dev"));
  const stackFile = join(dir, "Pulumi.dev.yaml");
  const stackText = readFileSync(stackFile, "utf8");
  const STACK_TRACE = /\n\s+at .+:\d+:\d+/;
  const refused = (args: string[], message: string) => {
    const run = plan(["--stack", "dev", "--config-dir", dir, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stdout).toBe("");
    return run;
  };

  test("the stack file is never an output, even with --force", () => {
    refused(["--markdown", stackFile, "--force"], `error: --markdown ${stackFile}: that is Pulumi.dev.yaml, which this command reads; choose another output file (--force does not allow this)`);
    expect(readFileSync(stackFile, "utf8")).toBe(stackText);
  });

  test("an existing file needs --force, and is then replaced", () => {
    const existing = join(dir, "old.md");
    writeFileSync(existing, "keep me");
    refused(["--markdown", existing], `error: --markdown ${existing}: the file exists; pass --force to replace it, or choose another name`);
    expect(readFileSync(existing, "utf8")).toBe("keep me");
    const run = plan(["--stack", "dev", "--config-dir", dir, "--markdown", existing, "--force"]);
    expect(run.code).toBe(0);
    expect(readFileSync(existing, "utf8")).toMatch(/^## Offline plan: stack `dev`/);
  });

  test("a symbolic link, a directory, a missing parent, a name too long and '-' are clear errors", () => {
    const target = join(dir, "target.txt");
    writeFileSync(target, "untouched");
    const link = join(dir, "link.mmd");
    symlinkSync(target, link);
    refused(["--mermaid", link], `error: --mermaid ${link}: is a symbolic link; pass the path of a regular file (links are not written through)`);
    expect(readFileSync(target, "utf8")).toBe("untouched");
    refused(["--mermaid", dir], `error: --mermaid ${dir}: is a directory; pass a file path inside it`);
    refused(["--mermaid", join(dir, "no/such/dir/x.mmd")], `error: --mermaid ${join(dir, "no/such/dir/x.mmd")}: the directory ${join(dir, "no/such/dir")} does not exist; create it first`);
    refused(["--markdown", "-"], "error: --markdown -: writing to standard output is not supported; pass a file path");
    // A name longer than a file name may be (255 bytes): Node's error without the path it repeats, and what to do.
    const tooLong = join(dir, `${"n".repeat(300)}.md`);
    const run = refused(["--markdown", tooLong], `error: --markdown ${tooLong}: ENAMETOOLONG: name too long; shorten the path (each name in it at most 255 bytes)`);
    expect(run.stderr.split(tooLong)).toHaveLength(2);
    const same = join(dir, "same.out");
    refused(["--mermaid", same, "--markdown", same], "error: --mermaid and --markdown name the same file; give each its own");
  });

  test("with --json, a usage error is one JSON document on stdout", () => {
    const run = plan(["--stack", "../etc", "--json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ ok: false, error: "usage", messages: ["error: --stack must be a stack name: letters, digits, '-', '_' or '.' (e.g. dev, prod, pr-42)"] });
    const unknown = plan(["--frobnicate", "--json"]);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toEqual({ ok: false, error: "usage", messages: ["error: unknown option '--frobnicate'"] });
  });

  test("a closed stdout (| head) ends quietly with the plan's exit code", async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolvePromise) => {
      const child = spawn(process.execPath, [join(PROJECT_DIR, "node_modules/tsx/dist/cli.mjs"), join(PROJECT_DIR, "cli/plan.ts"), "--stack", "dev", "--config-dir", dir, "--json"], { cwd: PROJECT_DIR });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.stdout.once("data", () => child.stdout.destroy());
      child.on("close", (code) => resolvePromise({ code, stderr }));
    });
    expect(result).toEqual({ code: 0, stderr: "" });
  });
});
