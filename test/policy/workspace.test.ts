import { workspaceIdentityRule, workspacePublicNetworkRule } from "../../policy/rules/workspace";
import { resource, tagsFor, workspaceProps } from "./fixtures";

const WS = "azure-native:machinelearningservices:Workspace";

describe("workspace-managed-identity", () => {
  it("passes system-assigned, user-assigned and combined identities", () => {
    for (const type of ["SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned", "SystemAssigned, UserAssigned", "systemassigned , userassigned", " SystemAssigned "]) {
      expect(workspaceIdentityRule.check(resource(WS, "aihub", { ...workspaceProps("prod", "Hub"), identity: { type } }))).toEqual([]);
    }
  });
  it("refuses identity types that only contain a managed one", () => {
    for (const type of ["None", "NotSystemAssigned", "SystemAssignedX", "SystemAssigned,None", "SystemAssignedX,UserAssigned"]) {
      expect([type, workspaceIdentityRule.check(resource(WS, "aihub", { ...workspaceProps("prod", "Hub"), identity: { type } })).length]).toEqual([type, 1]);
    }
  });
  it("calls a workspace of another kind an ML workspace", () => {
    const [finding] = workspaceIdentityRule.check(resource(WS, "ws", { identity: { type: "None" }, tags: tagsFor("dev") }));
    expect(finding.message).toMatch(/^ML workspace "ws" has identity\.type "None"; /);
  });
  it("refuses a hub or project without a managed identity, naming its kind", () => {
    const [hub] = workspaceIdentityRule.check(resource(WS, "aihub", { ...workspaceProps("dev", "Hub"), identity: undefined }, { stack: "dev" }));
    expect(hub.enforcement).toBe("mandatory");
    expect(hub.message).toContain('AI Studio hub "aihub" has identity.type not set');
    expect(hub.message).toContain('set `identity: { type: "SystemAssigned" }`');
    const [project] = workspaceIdentityRule.check(resource(WS, "proj", { ...workspaceProps("dev", "Project"), identity: { type: "None" } }));
    expect(project.message).toContain('AI Studio project "proj" has identity.type "None"');
  });
});

describe("workspace-no-public-network-in-prod", () => {
  it("passes a prod workspace with public network access disabled", () => {
    expect(workspacePublicNetworkRule.check(resource(WS, "aihub", workspaceProps("prod", "Hub")))).toEqual([]);
  });
  it("refuses a prod hub that is open or leaves it unset (Azure's default is open), saying to make the stack private", () => {
    for (const access of ["Enabled", undefined]) {
      const [finding] = workspacePublicNetworkRule.check(resource(WS, "aihub", { ...workspaceProps("prod", "Hub"), publicNetworkAccess: access }));
      expect(finding.enforcement).toBe("mandatory");
      expect(finding.message).toContain(`AI Studio hub "aihub" (environment prod) has publicNetworkAccess ${access === undefined ? "not set" : '"Enabled"'}`);
      expect(finding.message).toContain("set `llama-finetune-env:network: { mode: private, deployer: { via: inside-network } }` in Pulumi.prod.yaml");
    }
  });
  it('no longer accepts the old escape tag allow-public-network: "true" (issue 10)', () => {
    const props = { ...workspaceProps("prod", "Project"), publicNetworkAccess: "Enabled", tags: { ...tagsFor("prod"), "allow-public-network": "true" } };
    expect(workspacePublicNetworkRule.check(resource(WS, "proj", props))).toEqual([expect.objectContaining({ enforcement: "mandatory" })]);
  });
  it("does not check dev and test workspaces", () => {
    expect(workspacePublicNetworkRule.check(resource(WS, "aihub", workspaceProps("dev", "Hub"), { stack: "dev" }))).toEqual([]);
    expect(workspacePublicNetworkRule.check(resource(WS, "aihub", workspaceProps("test", "Hub"), { stack: "test" }))).toEqual([]);
  });
});
