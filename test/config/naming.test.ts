import { isValidName, marketplaceSubscriptionName, serverlessEndpointName, stackNames, type NamingInput } from "../../config/naming";
import { deterministicGuid } from "../../config/roles";

const base: NamingInput = { prefix: "llft", project: "llama-finetune-env", stack: "dev" };

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
