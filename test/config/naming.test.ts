import { checkSubscriptionId, isValidName, marketplaceSubscriptionName, namesWithoutSubscription, namingInput, serverlessEndpointName, stackHash, stackNames, SubscriptionIdError, type NamingInput } from "../../config/naming";
import { ConfigError } from "../../config/schema";
import { deterministicGuid, roleAssignmentName } from "../../config/roles";

const SUB_A = "0b1f6471-1bf0-4dda-aec3-111122223333";
const SUB_B = "9c2e5582-2cf1-4eeb-bfd4-444455556666";
const base: NamingInput = { prefix: "llft", project: "llama-finetune-env", stack: "dev", subscriptionId: SUB_A };

/**
 * Expected names are written out: each hash is the first 6 hex digits of SHA-256 over
 * "<subscription>/<project>/<stack>/<salt>", computed outside the code under test
 * (`printf '%s' "0b1f6471-1bf0-4dda-aec3-111122223333/llama-finetune-env/dev/" | sha256sum` → 15d299...),
 * and each length cut is counted by hand against Azure's limit for the type
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).
 */
describe("stackNames", () => {
  test("derives every name of stack dev from prefix, kind, stack and hash", () => {
    expect(stackNames(base)).toEqual({
      resourceGroup: "llft-rg-dev-15d299",
      storageAccount: "llftstdev15d299",
      trainingContainer: "training-data",
      keyVault: "llft-kv-dev-15d299",
      hub: "llft-hub-dev-15d299",
      project: "llft-proj-dev-15d299",
      aiServices: "llft-ais-dev-15d299",
      logAnalytics: "llft-log-dev-15d299",
      appInsights: "llft-appi-dev-15d299",
      datastore: "training_data",
      trainingDataAsset: "training",
      validationDataAsset: "validation",
      budget: "llft-budget-dev-15d299",
    });
    expect(serverlessEndpointName(base, "base")).toBe("llft-base-dev-15d299");
    expect(serverlessEndpointName(base, "ft")).toBe("llft-ft-dev-15d299");
  });

  test("a long stack name is cut to each type's limit (never the hash), without a trailing hyphen", () => {
    const input = { ...base, stack: "pr-99999-extremely-long-feature-branch-name" }; // hash 0eed82
    const names = stackNames(input);
    // Key vault, 24: "llft-kv-" (8) + 9 of the stack ("pr-99999-", hyphen dropped) + "-" + hash.
    expect(names.keyVault).toBe("llft-kv-pr-99999-0eed82");
    // Storage, 24, [a-z0-9] only: "llftst" (6) + 12 of the stack without hyphens + hash.
    expect(names.storageAccount).toBe("llftstpr99999extre0eed82");
    expect(names.storageAccount).toHaveLength(24);
    // Workspaces, 33: 17 (hub) and 16 (project) characters of the stack are left.
    expect(names.hub).toBe("llft-hub-pr-99999-extremel-0eed82");
    expect(names.project).toBe("llft-proj-pr-99999-extreme-0eed82");
    expect(names.hub).toHaveLength(33);
    // AI Services (64), Log Analytics and budget (63): the whole stack fits.
    expect(names.aiServices).toBe("llft-ais-pr-99999-extremely-long-feature-branch-name-0eed82");
    expect(names.logAnalytics).toBe("llft-log-pr-99999-extremely-long-feature-branch-name-0eed82");
    expect(names.budget).toBe("llft-budget-pr-99999-extremely-long-feature-branch-name-0eed82");
    // Serverless endpoint, 32: "llft-base-" (10) + 15 + "-" + hash.
    expect(serverlessEndpointName(input, "base")).toBe("llft-base-pr-99999-extrem-0eed82");
  });

  test("a stack name is lower-cased and its other characters become single hyphens", () => {
    const names = stackNames({ ...base, stack: "Feature_X.Y" }); // hash b98ad6
    expect(names.keyVault).toBe("llft-kv-feature-x-b98ad6");
    expect(names.storageAccount).toBe("llftstfeaturexyb98ad6");
    expect(names.resourceGroup).toBe("llft-rg-feature-x-y-b98ad6");
  });

  test("a stack name with no letter or digit leaves prefix, kind and hash", () => {
    const names = stackNames({ ...base, stack: "__" }); // hash f2e49e
    expect(names.keyVault).toBe("llft-kv-f2e49e");
    expect(names.storageAccount).toBe("llftstf2e49e");
  });

  test("hyphens at either end of the stack name are dropped", () => {
    expect(stackNames({ ...base, stack: "-dev-" }).keyVault).toBe("llft-kv-dev-4184d7");
    expect(stackNames({ ...base, stack: "_dev_" }).keyVault).toBe("llft-kv-dev-b5fd45");
  });

  test("a prefix that skipped the config's check (an underscore, which key vault names refuse) is refused, naming the rule", () => {
    expect(() => stackNames({ ...base, prefix: "ll_ft" })).toThrow(
      'generated keyVault name "ll_ft-kv-dev-15d299" breaks Azure\'s rule (3-24 characters, /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/); set config key "namePrefix" to 2-6 lowercase letters or digits (it starts every generated name)',
    );
  });

  test("is deterministic per stack", () => {
    expect(stackNames(base)).toEqual(stackNames({ ...base }));
  });

  test("two test stacks, or one re-created with a new salt, never share a global name", () => {
    const a = stackNames({ ...base, stack: "pr-12" });
    const b = stackNames({ ...base, stack: "pr-13" });
    const a2 = stackNames({ ...base, stack: "pr-12", salt: "run-99" }); // hash ecd034
    expect(a2.keyVault).toBe("llft-kv-pr-12-ecd034");
    for (const key of ["storageAccount", "keyVault", "aiServices", "hub"] as const) {
      expect(new Set([a[key], b[key], a2[key]]).size).toBe(3);
    }
  });
});

/**
 * Azure's naming rules, from the resource-name-rules page (and each provider's docs where noted
 * in config/naming.ts), checked with names written out: at the length limits and one past them,
 * and with the characters each type refuses.
 */
describe("isValidName", () => {
  const x = (n: number, c = "a") => c.repeat(n);
  test.each([
    ["storageAccount", ["abc", x(24), "llftstdev15d299", "0abc"], ["ab", x(25), "Abc", "ab-c", "ab_c"]],
    ["keyVault", ["kv1", x(24), "llft-kv-dev-15d299", "Kv-1"], ["kv", x(25), "1kv", "kv-", "k--v", "kv_1"]],
    ["blobContainer", ["abc", x(63), "training-data", "0ab"], ["ab", x(64), "-ab", "ab-", "a--b", "Abc", "a_b"]],
    ["workspace", ["abc", x(33), "llft-hub_1", "0ab"], ["ab", x(34), "_hub", "-hub", "hub.1"]],
    ["resourceGroup", ["a", x(90), "rg.(x)_-1", "(rg)"], ["", x(91), "rg.", "rg/x", "rg x"]],
    ["aiServices", ["ab", x(64), "llft-ais-dev-15d299"], ["a", x(65), "-ab", "ab-", "a_b"]],
    ["logAnalytics", ["abcd", x(63), "llft-log-1"], ["abc", x(64), "-abc", "abc-", "ab_c"]],
    ["appInsights", ["a", x(260), "llft appi (dev)"], ["", x(261), "a%b", "a&b", "a\\b", "a?b", "a/b"]],
    ["datastore", ["a", x(255), "training_data"], ["", x(256), "training-data"]],
    ["dataAsset", ["a", x(255), "training", "my-data_1"], ["", x(256), "a.b", "a b"]],
    ["marketplaceSubscription", ["a", x(255), "Meta-Llama-3-1-8B-Instruct"], ["", x(256), "-a", "a.b"]],
    ["serverlessEndpoint", ["ab1", x(32), "llft-base-dev-15d299"], ["ab", x(33), "1ab", "ab-", "a_b"]],
    ["budget", ["a", x(63), "llft-budget_1"], ["", x(64), "a.b", "a b"]],
  ] as const)("%s", (kind, valid, invalid) => {
    for (const name of valid) expect([name, isValidName(kind, name)]).toEqual([name, true]);
    for (const name of invalid) expect([name, isValidName(kind, name)]).toEqual([name, false]);
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

  test("the hash is the same for either case of the subscription id", () => {
    expect(stackHash({ ...base, subscriptionId: SUB_A.toUpperCase() })).toBe("15d299");
  });

  test("a subscription id is trimmed and lower-cased; the salt is kept only when set", () => {
    expect(checkSubscriptionId(` ${SUB_A.toUpperCase()}\n`, "ARM_SUBSCRIPTION_ID")).toBe(SUB_A);
    expect(namingInput({ namePrefix: "ab", nameSalt: "run-1" }, "p", "pr-1", SUB_A.toUpperCase())).toEqual({ prefix: "ab", project: "p", stack: "pr-1", salt: "run-1", subscriptionId: SUB_A });
  });

  test("a refused subscription id is named, cut to 60 characters, with where it came from (by default: the subscription id)", () => {
    let error: unknown;
    try {
      namingInput({ namePrefix: "llft" }, "p", "dev", "x".repeat(61));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SubscriptionIdError);
    expect((error as Error).name).toBe("SubscriptionIdError");
    const problem = `"${"x".repeat(57)}..." is not an Azure subscription id (a GUID such as 0b1f6471-1bf0-4dda-aec3-111122223333)`;
    expect((error as SubscriptionIdError).problems).toEqual([problem]);
    expect((error as Error).message).toBe(`Invalid subscription id from the subscription id: ${problem}`);
    expect(() => checkSubscriptionId("x".repeat(60), "--subscription")).toThrow(`Invalid subscription id from --subscription: "${"x".repeat(60)}" is not an Azure subscription id`);
  });

  test.each(["", "not-a-guid", "00000000-0000-0000-0000-00000000000", "../../evil", `${SUB_A}/resourceGroups/x`, `x${SUB_A}`, `${SUB_A.slice(0, 8)}-${SUB_A}`])(
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
    expect(marketplaceSubscriptionName("Llama-3.3-70B-Instruct")).toBe("Llama-3-3-70B-Instruct");
  });
  test("drops leading characters the name may not start with, and refuses a name left empty", () => {
    expect(marketplaceSubscriptionName(".-_Llama")).toBe("Llama");
    expect(() => marketplaceSubscriptionName("...")).toThrow('generated marketplaceSubscription name "" breaks Azure\'s rule (1-255 characters, /^[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}$/)');
  });
});

describe("namesWithoutSubscription", () => {
  test("every name is a stand-in saying it needs the subscription id", () => {
    expect(namesWithoutSubscription()).toEqual({
      resourceGroup: "<resourceGroup: needs the subscription id>",
      storageAccount: "<storageAccount: needs the subscription id>",
      trainingContainer: "<trainingContainer: needs the subscription id>",
      keyVault: "<keyVault: needs the subscription id>",
      hub: "<hub: needs the subscription id>",
      project: "<project: needs the subscription id>",
      aiServices: "<aiServices: needs the subscription id>",
      logAnalytics: "<logAnalytics: needs the subscription id>",
      appInsights: "<appInsights: needs the subscription id>",
      datastore: "<datastore: needs the subscription id>",
      trainingDataAsset: "<trainingDataAsset: needs the subscription id>",
      validationDataAsset: "<validationDataAsset: needs the subscription id>",
      budget: "<budget: needs the subscription id>",
    });
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
