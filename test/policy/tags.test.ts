import { readFileSync } from "node:fs";
import { join } from "node:path";
import { requiredTagsRule } from "../../policy/rules/tags";
import { TAG_LOCATIONS, UNTAGGABLE_TYPES } from "../../policy/rules/taggable";
import { resource, tagsFor } from "./fixtures";

describe("required-tags", () => {
  it("passes resources with all required tags, wherever their type keeps them", () => {
    expect(requiredTagsRule.check(resource("azure-native:storage:StorageAccount", "st", { tags: tagsFor("dev") }))).toEqual([]);
    expect(requiredTagsRule.check(resource("azure-native:machinelearningservices:DataContainer", "train", { properties: { dataType: "uri_file", tags: tagsFor("dev") } }))).toEqual([]);
  });

  it("ignores types that take no tags", () => {
    for (const type of [...UNTAGGABLE_TYPES, "pulumi-nodejs:dynamic:Resource", "pulumi:providers:azure-native", "llama-finetune:hub:AiHub"]) {
      expect(requiredTagsRule.check(resource(type, "x", {}))).toEqual([]);
    }
  });

  it("lists every missing tag and how to supply them", () => {
    const [finding] = requiredTagsRule.check(resource("azure-native:keyvault:Vault", "kv", { tags: { environment: "dev", stack: "dev", "cost-center": " " } }, { stack: "dev" }));
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain('azure-native:keyvault:Vault "kv" is missing the tags cost-center, managed-by (in `tags`)');
    expect(finding.message).toContain("`llama-finetune-env:costCenter` in Pulumi.dev.yaml");
  });

  it("names a single missing tag in the singular, and both problems when the environment is bad too", () => {
    const [one] = requiredTagsRule.check(resource("azure-native:keyvault:Vault", "kv", { tags: { ...tagsFor("dev"), "managed-by": undefined } }, { stack: "dev" }));
    expect(one.message).toMatch(/^azure-native:keyvault:Vault "kv" is missing the tag managed-by \(in `tags`\)\. Fix: /);
    const [both] = requiredTagsRule.check(resource("azure-native:keyvault:Vault", "kv", { tags: { environment: "staging", "cost-center": "c", "managed-by": "pulumi" } }, { stack: "dev" }));
    expect(both.message).toMatch(/^azure-native:keyvault:Vault "kv" is missing the tag stack and has environment "staging", which is not one of prod\|dev\|test \(it is judged as prod\) \(in `tags`\)\. Fix: /);
  });

  it("ignores untaggable and non-azure-native types even when their inputs carry tags", () => {
    for (const type of [...UNTAGGABLE_TYPES, "pulumi-nodejs:dynamic:Resource"]) {
      expect(requiredTagsRule.check(resource(type, "x", { tags: {} }))).toEqual([]);
    }
  });

  it("finds Azure ML data tags under properties.tags, not top-level tags", () => {
    const [finding] = requiredTagsRule.check(resource("azure-native:machinelearningservices:DataVersion", "v1", { tags: tagsFor("dev"), properties: { dataType: "uri_file" } }));
    expect(finding.message).toContain("is missing the tags environment, stack, cost-center, managed-by (in `properties.tags`)");
  });

  it("checks the stack's own data asset resources (arm/dataAssetResource.ts) under properties.tags too", () => {
    for (const type of ["pulumi-nodejs:dynamic/llama-finetune:DataAsset", "pulumi-nodejs:dynamic/llama-finetune:DataAssetVersion"]) {
      expect(requiredTagsRule.check(resource(type, "training", { properties: { dataType: "uri_file", tags: tagsFor("dev") } }))).toEqual([]);
      const [finding] = requiredTagsRule.check(resource(type, "training", { properties: { dataType: "uri_file", tags: { environment: "dev" } } }));
      expect(finding.message).toContain(`${type} "training" is missing the tags stack, cost-center, managed-by (in \`properties.tags\`)`);
    }
  });

  it("refuses an environment tag that is not prod, dev or test", () => {
    const [finding] = requiredTagsRule.check(resource("azure-native:resources:ResourceGroup", "rg", { tags: { ...tagsFor("dev"), environment: "staging" } }));
    expect(finding.message).toContain('has environment "staging", which is not one of prod|dev|test (it is judged as prod)');
  });

  it("checks unlisted azure-native types that carry tags", () => {
    const [finding] = requiredTagsRule.check(resource("azure-native:network:VirtualNetwork", "vnet", { tags: { environment: "dev" } }));
    expect(finding.message).toContain("is missing the tags stack, cost-center, managed-by");
  });
});

/** Keeps the hand-written taggable list honest against the installed azure-native SDK. */
describe("taggable list matches @pulumi/azure-native", () => {
  const argsOf = (type: string): string => {
    const [, module, resourceName] = type.split(":");
    const file = join(__dirname, "../../node_modules/@pulumi/azure-native", module, `${resourceName[0].toLowerCase()}${resourceName.slice(1)}.d.ts`);
    const text = readFileSync(file, "utf8");
    const start = text.indexOf(`export interface ${resourceName}Args {`);
    expect(start).toBeGreaterThan(-1);
    return text.slice(start, text.indexOf("\n}", start));
  };
  const hasTopLevelTags = (args: string) => /\n    tags\?: /.test(args);

  it.each(Object.entries(TAG_LOCATIONS))("%s keeps its tags in %s", (type, location) => {
    const args = argsOf(type);
    expect(hasTopLevelTags(args)).toBe(location === "tags");
    if (location === "properties.tags") expect(args).toMatch(/\n    properties: /);
  });

  it.each(UNTAGGABLE_TYPES.map((t) => [t]))("%s has no top-level tags", (type) => {
    expect(hasTopLevelTags(argsOf(type))).toBe(false);
  });
});
