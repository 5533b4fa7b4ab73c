import { isValidName, marketplaceSubscriptionName, namingInput, serverlessEndpointName, stackNames, SubscriptionIdError, type NamingInput } from "../../config/naming";
import { ConfigError } from "../../config/schema";
import { deterministicGuid, roleAssignmentName } from "../../config/roles";

const SUB_A = "0b1f6471-1bf0-4dda-aec3-111122223333";
const SUB_B = "9c2e5582-2cf1-4eeb-bfd4-444455556666";
const base: NamingInput = { prefix: "llft", project: "llama-finetune-env", stack: "dev", subscriptionId: SUB_A };

describe("stackNames", () => {
  test.each(["dev", "prod", "pr-1", "pr-123456-a-really-long-branch-name-that-goes-on", "Feature_X.Y"])(
    "every name of stack %s fits Azure's rules",
    (stack) => {
      const names = stackNames({ ...base, stack });
      expect(isValidName("storageAccount", names.storageAccount)).toBe(true);
      expect(isValidName("keyVault", names.keyVault)).toBe(true);
      expect(isValidName("workspace", names.hub)).toBe(true);
      expect(isValidName("workspace", names.project)).toBe(true);
      expect(names.storageAccount.length).toBeLessThanOrEqual(24);
      expect(names.keyVault.length).toBeLessThanOrEqual(24);
      expect(names.hub.length).toBeLessThanOrEqual(33);
    },
  );

  test("is deterministic per stack", () => {
    expect(stackNames(base)).toEqual(stackNames({ ...base }));
  });

  test("two test stacks, or one re-created with a new salt, never share a global name", () => {
    const a = stackNames({ ...base, stack: "pr-12" });
    const b = stackNames({ ...base, stack: "pr-13" });
    const a2 = stackNames({ ...base, stack: "pr-12", salt: "run-99" });
    for (const key of ["storageAccount", "keyVault", "aiServices", "hub"] as const) {
      expect(new Set([a[key], b[key], a2[key]]).size).toBe(3);
    }
  });

  test("long stack names are cut, not the hash", () => {
    const names = stackNames({ ...base, stack: "pr-99999-extremely-long-feature-branch-name" });
    expect(names.keyVault).toMatch(/^llft-kv-pr-99999-[0-9a-f]{6}$/);
    expect(names.storageAccount).toBe(`llftstpr99999extre${names.keyVault.slice(-6)}`);
    expect(names.storageAccount).toHaveLength(24);
  });
});

describe("globally unique names depend on the subscription (storage, key vault and AI Services names are global DNS names)", () => {
  test("two clones of the repo deploying a stack called dev into two subscriptions get different global names", () => {
    const a = stackNames({ ...base, subscriptionId: SUB_A });
    const b = stackNames({ ...base, subscriptionId: SUB_B });
    for (const key of ["storageAccount", "keyVault", "aiServices", "hub", "project", "resourceGroup"] as const) expect(a[key]).not.toBe(b[key]);
    expect(serverlessEndpointName({ ...base, subscriptionId: SUB_A }, "base")).not.toBe(serverlessEndpointName({ ...base, subscriptionId: SUB_B }, "base"));
  });

  test("the subscription id's case does not change a name (ARM ids are case-insensitive)", () => {
    const cfg = { namePrefix: "llft" };
    expect(stackNames(namingInput(cfg, "p", "dev", SUB_A.toUpperCase()))).toEqual(stackNames(namingInput(cfg, "p", "dev", SUB_A)));
  });

  test.each(["", "not-a-guid", "00000000-0000-0000-0000-00000000000", "../../evil", `${SUB_A}/resourceGroups/x`])(
    "namingInput refuses the subscription id %j before it reaches a name or URL",
    (bad) => {
      let error: unknown;
      try {
        namingInput({ namePrefix: "llft" }, "p", "dev", bad, "ARM_SUBSCRIPTION_ID");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SubscriptionIdError);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/^Invalid subscription id from ARM_SUBSCRIPTION_ID: .* is not an Azure subscription id \(a GUID/);
    },
  );
});

describe("roleAssignmentName", () => {
  const scope = (sub: string, rg: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/st/blobServices/default/containers/training-data`;
  const role = "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe";
  test("differs per scope (stack, subscription), principal and role: tenant-wide unique", () => {
    const names = new Set([
      roleAssignmentName(scope(SUB_A, "rg-dev"), "p1", role),
      roleAssignmentName(scope(SUB_A, "rg-prod"), "p1", role),
      roleAssignmentName(scope(SUB_B, "rg-dev"), "p1", role),
      roleAssignmentName(scope(SUB_A, "rg-dev"), "p2", role),
      roleAssignmentName(scope(SUB_A, "rg-dev"), "p1", role.replace("ba92", "2a2b")),
    ]);
    expect(names.size).toBe(5);
  });
  test("is case-insensitive in its ids", () => {
    expect(roleAssignmentName(scope(SUB_A, "rg").toUpperCase(), "P1", role)).toBe(roleAssignmentName(scope(SUB_A, "rg"), "p1", role));
  });
});

describe("marketplaceSubscriptionName", () => {
  test("replaces the dots the service refuses", () => {
    expect(marketplaceSubscriptionName("Meta-Llama-3.1-8B-Instruct")).toBe("Meta-Llama-3-1-8B-Instruct");
    expect(marketplaceSubscriptionName("Meta-Llama-3.1-8B-Instruct")).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/);
  });
});

describe("serverlessEndpointName", () => {
  test("fits 3-32 characters and starts with a letter", () => {
    const name = serverlessEndpointName({ ...base, stack: "pr-123456-long-branch-name-here" }, "base");
    expect(name.length).toBeLessThanOrEqual(32);
    expect(name).toMatch(/^[a-zA-Z][a-zA-Z0-9-]+[a-zA-Z0-9]$/);
  });
});

describe("deterministicGuid", () => {
  test("is a stable RFC 4122-shaped GUID", () => {
    const g = deterministicGuid("a", "b");
    expect(g).toBe(deterministicGuid("a", "b"));
    expect(g).not.toBe(deterministicGuid("a", "c"));
    expect(g).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
