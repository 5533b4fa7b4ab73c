/**
 * Each deployability rule on the smallest plan that breaks it, and on the fixed one. The rule
 * names the Azure behaviour; these tests are its specification.
 */
import { checkPlan } from "../../deployability";
import { appInsightsIngestionRule, MONITORING_METRICS_PUBLISHER } from "../../deployability/rules/appInsights";
import { automaticRoleAssignmentsRule } from "../../deployability/rules/automaticRoleAssignments";
import { budgetContactsRule } from "../../deployability/rules/budgetContacts";
import { dataAfterUploadRule } from "../../deployability/rules/dataDependencies";
import { datesRule } from "../../deployability/rules/dates";
import { modelsRule } from "../../deployability/rules/models";
import { principalTypeRule } from "../../deployability/rules/principalType";
import { registrationRule } from "../../deployability/rules/registration";
import { nothingUndeletableDeletedRule, undeletableRetainedRule } from "../../deployability/rules/undeletable";
import { recreateAfterDestroyRule } from "../../deployability/rules/softDelete";
import { uniqueNamesAcrossStacksRule, uniqueNamesInPlanRule } from "../../deployability/rules/uniqueNames";
import { T } from "../../deployability/resources";
import type { PlannedResource } from "../../plan/types";
import { BLOB_CONTRIBUTOR, facts, res, RG, role } from "./fixtures";

const storage = res(T.storageAccount, "storage", { accountName: "llftstdev1", resourceGroupName: "rg" });
const hub = res(T.mlWorkspace, "hub", { kind: "Hub", identity: { type: "SystemAssigned" }, systemDatastoresAuthMode: "Identity", storageAccount: `${RG}/providers/Microsoft.Storage/storageAccounts/llftstdev1` }, { propertyDependencies: { storageAccount: [storage.urn] } });
const grantToHub = (scope: string, guid = BLOB_CONTRIBUTOR, principalType = "ServicePrincipal") =>
  res(T.roleAssignment, "hub-grant", { principalId: "aaaa", principalType, roleDefinitionId: role(guid), scope, roleAssignmentName: "n1" }, { propertyDependencies: { principalId: [hub.urn] } });

describe("no-duplicate-of-automatic-role-assignment (409 RoleAssignmentExists)", () => {
  test("refuses Storage Blob Data Contributor for an identity-mode hub on its own storage account", () => {
    const findings = automaticRoleAssignmentsRule.check(facts([storage, hub, grantToHub(`${RG}/providers/Microsoft.Storage/storageAccounts/llftstdev1`)]));
    expect(findings).toEqual([expect.objectContaining({ severity: "error", message: expect.stringContaining("409 RoleAssignmentExists") })]);
  });
  test("refuses Azure AI Administrator for the hub's identity anywhere", () => {
    expect(automaticRoleAssignmentsRule.check(facts([hub, grantToHub(RG, "b78c5d69-af96-48a3-bf8d-a8b4d589de94")]))).toHaveLength(1);
  });
  test("allows the same role on a container, another role, or the hub in key mode", () => {
    const container = `${RG}/providers/Microsoft.Storage/storageAccounts/llftstdev1/blobServices/default/containers/c`;
    expect(automaticRoleAssignmentsRule.check(facts([storage, hub, grantToHub(container)]))).toEqual([]);
    expect(automaticRoleAssignmentsRule.check(facts([storage, hub, grantToHub(`${RG}/providers/Microsoft.Storage/storageAccounts/llftstdev1`, "a97b65f3-24c7-4388-baec-2e87135dc908")]))).toEqual([]);
    const keyHub = { ...hub, inputs: { ...hub.inputs, systemDatastoresAuthMode: "AccessKey" } };
    expect(automaticRoleAssignmentsRule.check(facts([storage, keyHub, grantToHub(`${RG}/providers/Microsoft.Storage/storageAccounts/llftstdev1`)]))).toEqual([]);
  });
});

describe("role-assignment-principal-type (UnmatchedPrincipalType)", () => {
  const deployer = { objectId: "22222222-2222-2222-2222-222222222222", principalType: "ServicePrincipal" };
  const upload = (principalType: string) => res(T.roleAssignment, "uploader", { principalId: deployer.objectId, principalType, roleDefinitionId: role(BLOB_CONTRIBUTOR), scope: RG });
  test("the deployer's grant must carry the deployer's real type (azure-native's default 'User' breaks CI)", () => {
    expect(principalTypeRule.check(facts([upload("User")], { deployer }))).toEqual([expect.objectContaining({ message: expect.stringContaining('Fix: principalType "ServicePrincipal"') })]);
    expect(principalTypeRule.check(facts([upload("ServicePrincipal")], { deployer }))).toEqual([]);
  });
  test("a managed identity is a ServicePrincipal", () => {
    expect(principalTypeRule.check(facts([hub, grantToHub(RG, BLOB_CONTRIBUTOR, "User")]))).toHaveLength(1);
    expect(principalTypeRule.check(facts([hub, grantToHub(RG)]))).toEqual([]);
  });
  test("a configured principal gets its configured type; a missing or unknown type is refused", () => {
    const p = res(T.roleAssignment, "dev", { principalId: "5f0e7c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6", principalType: "User", roleDefinitionId: role(BLOB_CONTRIBUTOR), scope: RG });
    expect(principalTypeRule.check(facts([p], { principals: [{ objectId: "5f0e7c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6", type: "Group" }] }))).toHaveLength(1);
    expect(principalTypeRule.check(facts([{ ...p, inputs: { ...p.inputs, principalType: undefined } }]))).toHaveLength(1);
    expect(principalTypeRule.check(facts([{ ...p, inputs: { ...p.inputs, principalType: "MSI" } }]))).toHaveLength(1);
  });
});

describe("unique-role-assignments", () => {
  const a = res(T.roleAssignment, "a", { principalId: "p", principalType: "User", roleDefinitionId: role(BLOB_CONTRIBUTOR), scope: RG, roleAssignmentName: "n1" });
  test("the same name twice, or the same (principal, role, scope) twice, is refused", () => {
    expect(uniqueNamesInPlanRule.check(facts([a, { ...a, urn: `${a.urn}2`, name: "b", inputs: { ...a.inputs, principalId: "q" } }]))).toEqual([expect.objectContaining({ message: expect.stringContaining("both use role assignment name n1") })]);
    expect(uniqueNamesInPlanRule.check(facts([a, { ...a, urn: `${a.urn}2`, name: "b", inputs: { ...a.inputs, principalId: "P", roleAssignmentName: "n2" } }]))).toEqual([expect.objectContaining({ message: expect.stringContaining("RoleAssignmentExists") })]);
  });
});

describe("undeletable-resources-retained (Azure ML refuses DELETE on data assets)", () => {
  const version = res(T.dataVersion, "v", { name: "training", version: "abc", properties: { dataUri: "azureml://x/paths/training/abc/training.jsonl" } }, { retainOnDelete: true });
  const blob = res(T.blobUpload, "b", { blobName: "training/abc/training.jsonl" }, { retainOnDelete: true });
  test("azure-native data containers, versions and the blobs versions point at must be retainOnDelete and never deleteBeforeReplace", () => {
    expect(undeletableRetainedRule.check(facts([version, blob]))).toEqual([]);
    expect(undeletableRetainedRule.check(facts([{ ...version, retainOnDelete: false }, blob]))).toHaveLength(1);
    expect(undeletableRetainedRule.check(facts([version, { ...blob, retainOnDelete: false }]))).toHaveLength(1);
    expect(undeletableRetainedRule.check(facts([res(T.dataContainer, "c", { name: "training" }, { retainOnDelete: true, deleteBeforeReplace: true })]))).toHaveLength(1);
  });
  test("the project's archiving DataAsset/DataAssetVersion are safe without retainOnDelete; retained they warn (never archived); their blobs are still kept", () => {
    const archiving = { ...version, type: T.dataAssetVersion, urn: version.urn.replace(T.dataVersion, T.dataAssetVersion), retainOnDelete: false };
    expect(undeletableRetainedRule.check(facts([archiving, blob, res(T.dataAsset, "c", { name: "training" })]))).toEqual([]);
    expect(undeletableRetainedRule.check(facts([archiving, { ...blob, retainOnDelete: false }]))).toEqual([expect.objectContaining({ severity: "error", message: expect.stringContaining("the blob a data version points at") })]);
    expect(undeletableRetainedRule.check(facts([{ ...archiving, retainOnDelete: true }, blob]))).toEqual([expect.objectContaining({ severity: "warning", message: expect.stringContaining("stays listed as current in AI Studio") })]);
  });
});

describe("nothing-undeletable-deleted (transitions)", () => {
  const ws = { subscriptionId: "0b1f6471-1bf0-4dda-aec3-111122223333", resourceGroupName: "rg", workspaceName: "proj", name: "training" };
  const v = (pulumiName: string, version: string, extra: Partial<PlannedResource> = {}) => res(T.dataAssetVersion, pulumiName, { ...ws, version, properties: { dataType: "uri_file", dataUri: `azureml://x/paths/training/${version}/training.jsonl` } }, extra);
  test("a version leaving the stack (new data, destroy) is archived: no finding; an azure-native one without retainOnDelete is", () => {
    expect(nothingUndeletableDeletedRule.check(facts([v("v-aaa", "aaa")]), facts([v("v-bbb", "bbb")]))).toEqual([]);
    expect(nothingUndeletableDeletedRule.check(facts([v("v-aaa", "aaa")]), undefined)).toEqual([]);
    const native = res(T.dataVersion, "n", { ...ws, version: "aaa" });
    expect(nothingUndeletableDeletedRule.check(facts([native]), undefined)).toEqual([expect.objectContaining({ severity: "error", message: expect.stringContaining("deleted by pulumi destroy") })]);
  });
  test("renaming a version's Pulumi resource without an alias would archive the version the new name just adopted", () => {
    const findings = nothingUndeletableDeletedRule.check(facts([v("v-aaa", "aaa")]), facts([v("renamed-aaa", "aaa")]));
    expect(findings).toEqual([expect.objectContaining({ severity: "error", resourceName: "v-aaa", message: expect.stringContaining("archived right after being adopted") })]);
  });
  test("a new data URI under the same version is refused (Azure cannot change it); a retained archiving version warns", () => {
    const moved = { ...v("v-aaa", "aaa"), inputs: { ...v("v-aaa", "aaa").inputs, properties: { dataType: "uri_file", dataUri: "azureml://elsewhere" } } };
    expect(nothingUndeletableDeletedRule.check(facts([v("v-aaa", "aaa")]), facts([moved]))).toEqual([expect.objectContaining({ severity: "error", message: expect.stringContaining("replaced (properties.dataUri changed) at the same Azure ML path") })]);
    expect(nothingUndeletableDeletedRule.check(facts([v("v-aaa", "aaa", { retainOnDelete: true })]), facts([]))).toEqual([expect.objectContaining({ severity: "warning" })]);
  });
});

describe("dates-valid-today", () => {
  const budget = (startDate: string) => res(T.budget, "budget", { timePeriod: { startDate: `${startDate}T00:00:00Z` } });
  test("a budget start is the first of the current month or later, at most twelve months ahead", () => {
    expect(datesRule.check(facts([budget("2026-11-01")]))).toEqual([]);
    expect(datesRule.check(facts([budget("2026-10-01")]))).toEqual([expect.objectContaining({ message: expect.stringContaining("before the current month") })]);
    expect(datesRule.check(facts([budget("2027-12-01")]))).toEqual([expect.objectContaining({ message: expect.stringContaining("twelve months") })]);
  });
  test("an expires-on tag is a real date, not in the past", () => {
    const tagged = (d: string) => res(T.storageAccount, "s", { tags: { "expires-on": d } });
    expect(datesRule.check(facts([tagged("2026-11-26")]))).toEqual([]);
    expect(datesRule.check(facts([tagged("2026-11-25")]))).toHaveLength(1);
    expect(datesRule.check(facts([tagged("2026-02-30")]))).toHaveLength(1);
  });
});

describe("model-not-retired", () => {
  test("a marketplace subscription to a retired model, or one outside the catalog, is refused; fine-tuned models pass", () => {
    const sub = (modelId: string) => res(T.marketplaceSubscription, "sub", { properties: { modelId } });
    expect(modelsRule.check(facts([sub("azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct")]))).toEqual([]);
    expect(modelsRule.check(facts([sub("azureml://registries/azureml-meta/models/Llama-2-7b")]))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/uses Llama-2-7b, which is retired: Llama-2-7b was retired on 2025-06-30 .*use Meta-Llama-3.1-8B-Instruct instead/) }),
    ]);
    expect(modelsRule.check(facts([sub("azureml://registries/azureml-meta/models/Llama-1-7b")]))).toEqual([expect.objectContaining({ message: expect.stringContaining("not in the model catalog") })]);
    const ep = res(T.serverlessEndpoint, "ep", { properties: { modelSettings: { modelId: "azureml://locations/westus3/workspaces/0f1e/models/ft/versions/1" } } });
    expect(modelsRule.check(facts([ep]))).toEqual([]);
  });
});

describe("registered-before-use (MissingSubscriptionRegistration)", () => {
  const registration = (ns: string) => res(T.providerRegistration, `reg-${ns}`, { namespace: ns });
  const component = res("llama-finetune:providers:ResourceProviders", "providers", {}, { custom: false });
  const reg = { ...registration("Microsoft.Consumption"), parent: component.urn };
  test("a budget that depends only on the component holding the registrations is fine; one that does not wait is refused", () => {
    const waits = res(T.budget, "budget", {}, { dependsOn: [component.urn] });
    expect(registrationRule.check(facts([component, reg, waits]))).toEqual([]);
    const races = res(T.budget, "budget", {});
    expect(registrationRule.check(facts([component, reg, races]))).toEqual([expect.objectContaining({ message: expect.stringContaining("does not wait for the Microsoft.Consumption registration") })]);
  });
  test("a namespace the stack does not register is refused", () => {
    expect(registrationRule.check(facts([reg, res(T.storageAccount, "s", {}, { dependsOn: [reg.urn] })]))).toEqual([expect.objectContaining({ message: expect.stringContaining("needs Microsoft.Storage, which the stack does not register") })]);
  });
});

describe("budget-has-contacts", () => {
  test("a notification with no e-mail and no group is refused", () => {
    const budget = (contactEmails: string[]) => res(T.budget, "b", { notifications: { a: { contactEmails } } });
    expect(budgetContactsRule.check(facts([budget([])]))).toHaveLength(1);
    expect(budgetContactsRule.check(facts([budget(["a@example.com"])]))).toEqual([]);
  });
});

describe("data-version-after-upload", () => {
  test("a version must depend on the upload of the file it points at", () => {
    const blob = res(T.blobUpload, "blob", { blobName: "training/abc/training.jsonl" });
    const version = (dependsOn: string[]) => res(T.dataVersion, "v", { properties: { dataUri: "azureml://subscriptions/s/x/paths/training/abc/training.jsonl" } }, { dependsOn });
    expect(dataAfterUploadRule.check(facts([blob, version([])]))).toHaveLength(1);
    expect(dataAfterUploadRule.check(facts([blob, version([blob.urn])]))).toEqual([]);
    const archiving = (dependsOn: string[]) => ({ ...version(dependsOn), type: T.dataAssetVersion });
    expect(dataAfterUploadRule.check(facts([blob, archiving([])]))).toHaveLength(1);
    expect(dataAfterUploadRule.check(facts([blob, archiving([blob.urn])]))).toEqual([]);
  });
});

describe("app-insights-ingestion", () => {
  const component = (disableLocalAuth: boolean) => res(T.appInsights, "appi", { resourceName: "llft-appi-dev", disableLocalAuth });
  test("local auth off without Monitoring Metrics Publisher for a sender drops telemetry; local auth on is fine", () => {
    expect(appInsightsIngestionRule.check(facts([component(true)]))).toHaveLength(1);
    expect(appInsightsIngestionRule.check(facts([component(false)]))).toEqual([]);
    const grant = res(T.roleAssignment, "pub", { roleDefinitionId: role(MONITORING_METRICS_PUBLISHER), scope: `${RG}/providers/Microsoft.Insights/components/llft-appi-dev` });
    expect(appInsightsIngestionRule.check(facts([component(true), grant]))).toEqual([]);
  });
});

describe("checkPlan", () => {
  test("tags each finding with its rule and source", async () => {
    const findings = await checkPlan(facts([res(T.budget, "b", { notifications: { a: { contactEmails: [] } } })]));
    expect(findings).toEqual([expect.objectContaining({ rule: "budget-has-contacts", severity: "error", source: expect.stringContaining("consumption.json") })]);
  });
});

describe("unique-names-across-stacks", () => {
  test("two stacks with the same storage account name or role-assignment name are refused; one stack planned twice is not", () => {
    const stackWith = (stack: string, accountName: string, roleAssignmentName: string) =>
      facts([res(T.storageAccount, "storage", { accountName }), res(T.roleAssignment, "uploader", { roleAssignmentName })], { stack });
    expect(uniqueNamesAcrossStacksRule.check([stackWith("dev", "a", "n1"), stackWith("prod", "b", "n2")])).toEqual([]);
    const clash = uniqueNamesAcrossStacksRule.check([stackWith("dev", "a", "n1"), stackWith("prod", "A", "n1")]);
    expect(clash.map((f) => f.message)).toEqual([
      expect.stringContaining("stack prod and stack dev both use role assignment name (tenant-wide) n1"),
      expect.stringContaining("stack prod and stack dev both use storage account name (global) a"),
    ]);
    expect(uniqueNamesAcrossStacksRule.check([stackWith("dev", "a", "n1"), stackWith("dev", "a", "n1")])).toEqual([]);
  });
});

describe("recreate-after-destroy", () => {
  test("a retained resource that no deleted parent takes along blocks the re-created stack", () => {
    const lonely = res(T.dataVersion, "v", { workspaceName: "elsewhere" }, { retainOnDelete: true });
    const workspace = res(T.mlWorkspace, "proj", { workspaceName: "proj" });
    const kept = res(T.dataVersion, "v", { workspaceName: "proj" }, { retainOnDelete: true });
    expect(recreateAfterDestroyRule.check(facts([lonely]), facts([]), { purged: true })).toHaveLength(1);
    expect(recreateAfterDestroyRule.check(facts([workspace, kept]), facts([]), { purged: true })).toEqual([]);
  });
});
