/**
 * The defects that made a first `pulumi up` on a real subscription fail although every mock
 * said yes (issue 9), one test each, on the plan of the real program. Each names the Azure
 * behaviour it guards; the rules in deployability/ encode the same behaviour for any plan.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { PEOPLE_ROLES } from "../../components/access";
import { SubscriptionIdError } from "../../config/naming";
import { BUILT_IN_ROLES, roleOf } from "../../config/roles";
import { T } from "../../deployability/resources";
import { MOCK_DEPLOYER_OBJECT_ID } from "../../plan/armMocks";
import type { PlanResult } from "../../plan/run";
import { dependsOnTransitively, get, ofType, one, planWith, PROJECT_DIR, TEST_GROUP } from "../helpers/plan";

const TODAY = "2026-11-26";
const grantsOf = (plan: PlanResult) => ofType(plan, T.roleAssignment);
const hubOf = (plan: PlanResult) => one(plan, T.mlWorkspace, (r) => r.inputs.kind === "Hub");

describe("defects found against Azure's behaviour (issue 9)", () => {
  let dev: PlanResult;
  beforeAll(async () => {
    dev = await planWith("dev", "dev", { principals: [TEST_GROUP] }, { today: TODAY });
  });

  test("1: no Storage Blob Data Contributor for the hub's identity on its storage (Azure assigns it itself; a second one is 409 RoleAssignmentExists)", () => {
    const hub = hubOf(dev);
    expect(hub.inputs.systemDatastoresAuthMode).toBe("Identity");
    const fromHub = grantsOf(dev).filter((g) => g.propertyDependencies?.principalId?.includes(hub.urn));
    expect(fromHub.map((g) => roleOf(String(g.inputs.roleDefinitionId)))).toEqual(["cognitiveServicesUser"]);
    expect(dev.deployability).toEqual([]);
  });

  test("2: every role assignment states its principal's real type; the deployer's follows az login or the CI service principal (UnmatchedPrincipalType)", async () => {
    const uploader = (p: PlanResult) => one(p, T.roleAssignment, (r) => r.name.endsWith("-uploader-access"));
    for (const g of grantsOf(dev)) {
      const identity = (g.propertyDependencies?.principalId ?? []).length > 0;
      expect(g.inputs.principalType).toBe(identity ? "ServicePrincipal" : g.inputs.principalId === TEST_GROUP.objectId ? "Group" : "User");
    }
    const ci = await planWith("dev", "dev", {}, { today: TODAY, env: { ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t", ARM_USE_OIDC: "true", ARM_SUBSCRIPTION_ID: "0b1f6471-1bf0-4dda-aec3-111122223333" } });
    expect(uploader(ci).inputs).toMatchObject({ principalId: MOCK_DEPLOYER_OBJECT_ID, principalType: "ServicePrincipal" });
    const azLoginSp = await planWith("dev", "dev", {}, { today: TODAY, azureProfile: { subscriptions: [{ id: "x", isDefault: true, user: { name: "app", type: "servicePrincipal" } }] } });
    expect(uploader(azLoginSp).inputs.principalType).toBe("ServicePrincipal");
    const person = await planWith("dev", "dev", {}, { today: TODAY, azureProfile: { subscriptions: [{ id: "x", isDefault: true, user: { name: "me@example.com", type: "user" } }] } });
    expect(uploader(person).inputs.principalType).toBe("User");
    expect(person.warnings.join("\n")).not.toMatch(/principal type is not known/);
  });

  test("5: data assets and versions are archived on delete by a provider that never DELETEs (not retained), each version its own resource; their blobs are retained (Azure ML refuses DELETE on data assets)", () => {
    expect(ofType(dev, T.dataContainer)).toEqual([]);
    expect(ofType(dev, T.dataVersion)).toEqual([]);
    const assets = [...ofType(dev, T.dataAsset), ...ofType(dev, T.dataAssetVersion)];
    expect(assets.map((r) => r.inputs.name).sort()).toEqual(["training", "training", "validation", "validation"]);
    for (const r of assets) {
      expect(r.retainOnDelete).toBe(false);
      expect(r.deleteBeforeReplace).toBe(false);
    }
    for (const b of ofType(dev, T.blobUpload)) expect(b.retainOnDelete).toBe(true);
    for (const v of ofType(dev, T.dataAssetVersion)) {
      expect(v.name.endsWith(`-${String(v.inputs.version)}`)).toBe(true);
      expect(v.inputs.identityTag).toBe("sha256");
      expect(get(v.inputs, `properties.tags.sha256`)).toMatch(new RegExp(`^${String(v.inputs.version)}[0-9a-f]{52}$`));
    }
  });

  test("7: the committed stack files name no placeholder principal and plan with no deployability error", async () => {
    for (const stack of ["dev", "prod", "test"]) {
      const text = readFileSync(join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
      expect(text).not.toMatch(/00000000-0000-4000-8000/);
      const config = (parse(text) as { config: Record<string, unknown> }).config;
      expect(config["llama-finetune-env:principals"]).toBeUndefined();
      const plan = await planWith(stack === "test" ? "pr-3" : stack, stack, {}, { today: TODAY });
      expect(plan.deployability.filter((f) => f.severity === "error")).toEqual([]);
    }
  });

  test("9: a review stack with nameSalt 12345678901 (the CI run id) and costCenter 4711 plans, both kept as strings", async () => {
    const pr = await planWith("pr-12", "test", { nameSalt: "12345678901", costCenter: "4711" }, { today: TODAY });
    expect(get(hubOf(pr).inputs, "tags.cost-center")).toBe("4711");
  });

  test("10: the budget waits for the Microsoft.Consumption registration (dependsOn on the component did not reach it)", () => {
    const consumption = one(dev, T.providerRegistration, (r) => r.inputs.namespace === "Microsoft.Consumption");
    expect(dependsOnTransitively(dev, one(dev, T.budget).urn, consumption.urn)).toBe(true);
  });

  test("11: each principal gets Azure AI Developer on the project, Reader on the hub, Inference Deployment Operator on the group, blob and file data roles on the storage account", () => {
    const mine = grantsOf(dev).filter((g) => g.inputs.principalId === TEST_GROUP.objectId);
    const scopeOf = (role: string) => String(mine.find((g) => roleOf(String(g.inputs.roleDefinitionId)) === role)?.inputs.scope);
    expect(mine.map((g) => roleOf(String(g.inputs.roleDefinitionId))).sort()).toEqual(PEOPLE_ROLES.map((r) => r.role).sort());
    expect(scopeOf("azureAiDeveloper")).toMatch(/\/workspaces\/llft-proj-dev-[0-9a-f]{6}$/);
    expect(scopeOf("reader")).toMatch(/\/workspaces\/llft-hub-dev-[0-9a-f]{6}$/);
    expect(scopeOf("azureAiInferenceDeploymentOperator")).toMatch(/^\/subscriptions\/[^/]+\/resourceGroups\/llft-rg-dev-[0-9a-f]{6}$/);
    expect(scopeOf("storageBlobDataContributor")).toMatch(/\/storageAccounts\/llftstdev[0-9a-f]{6}$/);
    expect(scopeOf("storageFileDataPrivilegedContributor")).toMatch(/\/storageAccounts\/llftstdev[0-9a-f]{6}$/);
  });

  test("11: README 'Azure permissions' and the role table of docs/delivery.md name every role in config/roles.ts", () => {
    const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Azure permissions"), readme.indexOf("## More")).replace(/\s+/g, " ");
    const delivery = readFileSync(join(PROJECT_DIR, "docs/delivery.md"), "utf8").replace(/\s+/g, " ");
    const names: Record<keyof typeof BUILT_IN_ROLES, string> = {
      azureAiDeveloper: "Azure AI Developer",
      azureAiInferenceDeploymentOperator: "Azure AI Inference Deployment Operator",
      reader: "Reader",
      storageBlobDataContributor: "Storage Blob Data Contributor",
      storageBlobDataReader: "Storage Blob Data Reader",
      storageFileDataPrivilegedContributor: "Storage File Data Privileged Contributor",
      cognitiveServicesUser: "Cognitive Services User",
      azureAiAdministrator: "Azure AI Administrator",
    };
    for (const role of Object.keys(BUILT_IN_ROLES) as (keyof typeof BUILT_IN_ROLES)[]) {
      expect(section).toContain(names[role]);
      expect(delivery).toContain(names[role]);
    }
  });

  test("13: the subscription is part of every global name; an invalid subscription id is refused before anything is named", async () => {
    const elsewhere = await planWith("dev", "dev", {}, { today: TODAY, subscriptionId: "9c2e5582-2cf1-4eeb-bfd4-444455556666" });
    for (const type of [T.storageAccount, T.keyVault, T.aiServices]) expect(one(elsewhere, type).inputs).not.toEqual(one(dev, type).inputs);
    await expect(planWith("dev", "dev", {}, { today: TODAY, subscriptionId: "../../x" })).rejects.toBeInstanceOf(SubscriptionIdError);
  });

  test("15: each data version depends on its upload; Application Insights keeps local auth (Entra-only ingestion would drop the hub's telemetry)", () => {
    expect(ofType(dev, T.dataAssetVersion)).toHaveLength(2);
    for (const version of ofType(dev, T.dataAssetVersion)) {
      const upload = one(dev, T.blobUpload, (u) => String(get(version.inputs, "properties.dataUri")).endsWith(`/paths/${String(u.inputs.blobName)}`));
      expect(version.dependsOn).toContain(upload.urn);
    }
    expect(one(dev, T.appInsights).inputs.disableLocalAuth).toBe(false);
  });
});
