/**
 * The helpers every rule reads resources through (policy/rules/values.ts, taggable.ts,
 * environment.ts): inputs arrive untyped (CrossGuard's props, the plan's JSON), so each helper
 * must tolerate any shape and say what it saw.
 */
import { describeEnvironment, environmentOf, stackFile, stackOfUrn } from "../../policy/rules/environment";
import { tagLocation, tagsOf } from "../../policy/rules/taggable";
import { T } from "../../policy/rules/types";
import { at, equalsIgnoreCase, nestedProperties, nonEmptyStrings, show } from "../../policy/rules/values";

describe("at", () => {
  test("walks nested objects, and yields undefined at a missing step, null, a list or a scalar", () => {
    const props = { properties: { contentSafety: { contentSafetyStatus: "Enabled" }, nothing: null, list: [{ a: 1 }], text: "x" } };
    expect(at(props, "properties", "contentSafety", "contentSafetyStatus")).toBe("Enabled");
    expect(at(props, "properties", "nothing", "a")).toBeUndefined();
    expect(at(props, "properties", "list", "0")).toBeUndefined();
    expect(at(props, "properties", "text", "length")).toBeUndefined();
    expect(at(props, "missing", "a")).toBeUndefined();
    expect(at(null, "a")).toBeUndefined();
    expect(at(props)).toBe(props);
  });
});

describe("nestedProperties", () => {
  test("reads `properties`, or the ARM-schema alias of each Azure ML type", () => {
    const inner = { x: 1 };
    expect(nestedProperties(T.datastore, { properties: inner })).toBe(inner);
    expect(nestedProperties(T.serverlessEndpoint, { serverlessEndpointProperties: inner })).toBe(inner);
    expect(nestedProperties(T.marketplaceSubscription, { marketplaceSubscriptionProperties: inner })).toBe(inner);
    expect(nestedProperties(T.dataContainer, { dataContainerProperties: inner })).toBe(inner);
    expect(nestedProperties(T.dataVersion, { dataVersionBaseProperties: inner })).toBe(inner);
    expect(nestedProperties(T.datastore, { datastoreProperties: inner })).toBe(inner);
  });

  test("an alias counts only for its own type; no object, no properties", () => {
    expect(nestedProperties(T.datastore, { dataContainerProperties: { x: 1 } })).toBeUndefined();
    expect(nestedProperties(T.storageAccount, { storageAccountProperties: { x: 1 } })).toBeUndefined();
    expect(nestedProperties(T.datastore, { properties: "x" })).toBeUndefined();
    expect(nestedProperties(T.datastore, { datastoreProperties: ["x"] })).toBeUndefined();
  });
});

describe("show and friends", () => {
  test("show: quoted strings as written, not set, JSON otherwise", () => {
    expect(show("Enabled")).toBe('"Enabled"');
    expect(show('say "hi"')).toBe('"say "hi""');
    expect(show(undefined)).toBe("not set");
    expect(show(null)).toBe("null");
    expect(show(false)).toBe("false");
    expect(show(0)).toBe("0");
    expect(show({ type: "None" })).toBe('{"type":"None"}');
    expect(show(["a", 1])).toBe('["a",1]');
    expect(show(() => 1)).toBe("() => 1");
  });

  test("equalsIgnoreCase compares strings only", () => {
    expect(equalsIgnoreCase("enabled", "Enabled")).toBe(true);
    expect(equalsIgnoreCase("Enable", "Enabled")).toBe(false);
    expect(equalsIgnoreCase(undefined, "undefined")).toBe(false);
    expect(equalsIgnoreCase(["Enabled"], "Enabled")).toBe(false);
  });

  test("nonEmptyStrings keeps the strings with content of a list, nothing else", () => {
    expect(nonEmptyStrings(["a@example.com", "", "  ", 5, null, " b@example.com "])).toEqual(["a@example.com", " b@example.com "]);
    expect(nonEmptyStrings("a@example.com")).toEqual([]);
    expect(nonEmptyStrings(undefined)).toEqual([]);
  });
});

describe("where tags live", () => {
  test("listed types by their list; unlisted azure-native types when they carry a tags object", () => {
    expect(tagLocation(T.keyVault, {})).toBe("tags");
    expect(tagLocation(T.dataVersion, {})).toBe("properties.tags");
    expect(tagLocation(T.dataAsset, {})).toBe("properties.tags");
    expect(tagLocation("azure-native:network:VirtualNetwork", { tags: {} })).toBe("tags");
    expect(tagLocation("azure-native:network:VirtualNetwork", {})).toBeUndefined();
    expect(tagLocation("azure-native:network:VirtualNetwork", { tags: "env=dev" })).toBeUndefined();
  });

  test("types known to take no tags, and resources that are not azure-native, have none even with a tags object", () => {
    for (const type of [T.blobContainer, T.workspaceConnection, T.budget, T.roleAssignment, "pulumi-nodejs:dynamic:Resource", "llama-finetune:hub:AiHub"]) {
      expect([type, tagLocation(type, { tags: { environment: "dev" } })]).toEqual([type, undefined]);
      expect(tagsOf(type, { tags: { environment: "dev" }, properties: { tags: { environment: "dev" } } })).toEqual({});
    }
  });

  test("tagsOf reads the type's place only, and yields {} when the place is empty or not an object", () => {
    expect(tagsOf(T.storageAccount, { tags: { environment: "dev" }, properties: { tags: { environment: "test" } } })).toEqual({ environment: "dev" });
    expect(tagsOf(T.datastore, { tags: { environment: "dev" }, properties: { tags: { environment: "test" } } })).toEqual({ environment: "test" });
    expect(tagsOf(T.datastore, {})).toEqual({});
    expect(tagsOf(T.storageAccount, { tags: ["environment"] })).toEqual({});
  });
});

describe("the environment of a resource and the stack file to edit", () => {
  test("a valid environment tag is taken; anything else is judged as prod, and says so", () => {
    expect(environmentOf({ environment: "dev" })).toEqual({ kind: "dev", assumed: false });
    expect(environmentOf({ environment: "Dev" })).toEqual({ kind: "prod", assumed: true });
    expect(environmentOf({})).toEqual({ kind: "prod", assumed: true });
    expect(describeEnvironment({ kind: "prod", assumed: true })).toBe("environment prod, assumed: no valid `environment` tag");
    expect(describeEnvironment({ kind: "test", assumed: false })).toBe("environment test");
  });

  test("the stack comes from the URN; without one the file is Pulumi.<stack>.yaml", () => {
    expect(stackOfUrn("urn:pulumi:pr-42::llama-finetune-env::azure-native:keyvault:Vault::vault")).toBe("pr-42");
    expect(stackOfUrn("not-a-urn")).toBeUndefined();
    expect(stackOfUrn("x urn:pulumi:dev::p::t::n")).toBeUndefined();
    expect(stackFile("urn:pulumi:prod::p::t::n")).toBe("Pulumi.prod.yaml");
    expect(stackFile(undefined)).toBe("Pulumi.<stack>.yaml");
    expect(stackFile("garbage")).toBe("Pulumi.<stack>.yaml");
  });
});
