/**
 * The deployer's principal type: ARM refuses a role assignment whose principalType does not
 * match the principal (UnmatchedPrincipalType), and azure-native fills in "User" when it is left
 * out, so CI (a service principal) could never upload the training data.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { azureProfilePath, detectDeployerType, readAzureProfile } from "../../stack/deployer";

const SUB = "0b1f6471-1bf0-4dda-aec3-111122223333";
const OTHER = "9c2e5582-2cf1-4eeb-bfd4-444455556666";
const profile = (...subs: Array<{ id: string; isDefault?: boolean; type: string }>) => ({
  installationId: "x",
  subscriptions: subs.map((s) => ({ id: s.id, name: "sub", state: "Enabled", isDefault: s.isDefault ?? false, tenantId: "t", user: { name: "someone", type: s.type } })),
});

describe("detectDeployerType", () => {
  test.each([
    [{ ARM_CLIENT_ID: "c", ARM_USE_OIDC: "true", ARM_TENANT_ID: "t" }, "ARM_CLIENT_ID"],
    [{ ARM_USE_OIDC: "true" }, "ARM_USE_OIDC"],
    [{ ARM_USE_MSI: "1" }, "ARM_USE_MSI"],
    [{ ARM_CLIENT_SECRET: "s" }, "ARM_CLIENT_SECRET"],
    [{ ARM_CLIENT_CERTIFICATE_PATH: "/c.pfx" }, "ARM_CLIENT_CERTIFICATE_PATH"],
  ])("CI service principal settings %j → ServicePrincipal", (env, variable) => {
    const detection = detectDeployerType({ env, config: {}, azureProfile: profile({ id: SUB, isDefault: true, type: "user" }) });
    expect(detection.principalType).toBe("ServicePrincipal");
    expect(detection.reason).toContain(variable);
  });

  test("azure-native provider config (clientId, useOidc) → ServicePrincipal", () => {
    expect(detectDeployerType({ env: {}, config: { "azure-native:clientId": "c" } }).principalType).toBe("ServicePrincipal");
    expect(detectDeployerType({ env: {}, config: { "azure-native:useOidc": "true" } }).principalType).toBe("ServicePrincipal");
    expect(detectDeployerType({ env: { ARM_USE_OIDC: "false" }, config: {}, azureProfile: profile({ id: SUB, isDefault: true, type: "user" }) }).principalType).toBe("User");
  });

  test("az login as a user → User; az login --service-principal (azure/login in CI) or --identity → ServicePrincipal", () => {
    expect(detectDeployerType({ env: {}, config: {}, azureProfile: profile({ id: SUB, isDefault: true, type: "user" }) })).toEqual({ principalType: "User", reason: expect.stringContaining("as a user") });
    expect(detectDeployerType({ env: {}, config: {}, azureProfile: profile({ id: SUB, isDefault: true, type: "servicePrincipal" }) }).principalType).toBe("ServicePrincipal");
  });

  test("the CLI account of the subscription being deployed wins over the default one", () => {
    const p = profile({ id: OTHER, isDefault: true, type: "user" }, { id: SUB, type: "servicePrincipal" });
    expect(detectDeployerType({ env: { ARM_SUBSCRIPTION_ID: SUB }, config: {}, azureProfile: p }).principalType).toBe("ServicePrincipal");
    expect(detectDeployerType({ env: {}, config: { "azure-native:subscriptionId": SUB.toUpperCase() }, azureProfile: p }).principalType).toBe("ServicePrincipal");
    expect(detectDeployerType({ env: {}, config: {}, azureProfile: p }).principalType).toBe("User");
  });

  test("the explicit override wins over everything", () => {
    expect(detectDeployerType({ env: { ARM_CLIENT_ID: "c" }, config: {}, override: "User" })).toEqual({ principalType: "User", reason: "llama-finetune-env:deployerPrincipalType" });
  });

  test("nothing conclusive → undefined with the reason", () => {
    expect(detectDeployerType({ env: {}, config: {} })).toEqual({ reason: expect.stringContaining("no Azure CLI profile") });
    expect(detectDeployerType({ env: {}, config: {}, azureProfile: { subscriptions: [] } }).reason).toMatch(/not logged in/);
    expect(detectDeployerType({ env: {}, config: {}, azureProfile: "garbage" }).reason).toMatch(/not in the expected format/);
  });
});

describe("readAzureProfile", () => {
  test("reads $AZURE_CONFIG_DIR/azureProfile.json, written by the CLI with a byte-order mark", () => {
    const dir = mkdtempSync(join(tmpdir(), "azcfg-"));
    writeFileSync(join(dir, "azureProfile.json"), `\uFEFF${JSON.stringify(profile({ id: SUB, isDefault: true, type: "servicePrincipal" }))}`);
    const env = { AZURE_CONFIG_DIR: dir };
    expect(azureProfilePath(env)).toBe(join(dir, "azureProfile.json"));
    expect(detectDeployerType({ env, config: {}, azureProfile: readAzureProfile(env) }).principalType).toBe("ServicePrincipal");
    expect(readAzureProfile({ AZURE_CONFIG_DIR: join(dir, "missing") })).toBeUndefined();
  });
});
