import { isCatalogModelId, isFineTunedModelId, makeSupportedModelRule, retirementOf, supportedModelRule } from "../../policy/rules/models";
import { CATALOG, defaultModel, MODEL_CATALOG, registryModelId, type LlamaModel } from "../../config/models";
import { CATALOG_MODEL_ID, endpointProps, resource } from "./fixtures";

const SUB = "azure-native:machinelearningservices:MarketplaceSubscription";
const EP = "azure-native:machinelearningservices:ServerlessEndpoint";
const FINE_TUNED = "azureml://locations/westus3/workspaces/0a1b2c3d-0000-0000-0000-000000000000/models/llama-ft/versions/1";

describe("supported-llama-model", () => {
  it("accepts every catalog model (optionally version-pinned) and fine-tuned workspace models", () => {
    for (const model of MODEL_CATALOG) expect(isCatalogModelId(registryModelId(model))).toBe(true);
    expect(isCatalogModelId(`${CATALOG_MODEL_ID}/versions/4`)).toBe(true);
    expect(isFineTunedModelId(FINE_TUNED)).toBe(true);
    expect(isCatalogModelId("azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct")).toBe(false);
    expect(isCatalogModelId("azureml://registries/azureml-meta/models/Llama-2-7b")).toBe(false);
    expect(isCatalogModelId("azureml://registries/azureml/models/Meta-Llama-3.1-8B-Instruct")).toBe(false);
  });

  it("takes only a string of the exact shape as a fine-tuned model id", () => {
    for (const id of [`x${FINE_TUNED}`, `${FINE_TUNED}/extra`, FINE_TUNED.replace("versions/1", "versions/"), FINE_TUNED.replace("models/llama-ft", "models/"), [FINE_TUNED]]) {
      expect([id, isFineTunedModelId(id)]).toEqual([id, false]);
    }
    expect(isFineTunedModelId(FINE_TUNED.replace("versions/1", "versions/12"))).toBe(true);
  });

  it("takes only a string as a catalog model id (a list holding one is refused)", () => {
    expect(isCatalogModelId([CATALOG_MODEL_ID])).toBe(false);
    const [finding] = supportedModelRule.check(resource(SUB, "sub", { properties: { modelId: [CATALOG_MODEL_ID] } }));
    expect(finding.message).toContain(`Marketplace subscription "sub" names model ["${CATALOG_MODEL_ID}"] (properties.modelId), which is not in the supported Meta Llama catalog`);
    expect(supportedModelRule.check(resource(EP, "ep", endpointProps("prod", "Enabled", [FINE_TUNED] as unknown as string)))).toHaveLength(1);
  });

  it("retirementOf: the retirement behind a retired or aged model id, nothing for an active or unknown one", () => {
    expect(retirementOf(CATALOG_MODEL_ID)).toBeUndefined();
    expect(retirementOf("azureml://registries/azureml-meta/models/Phi-4")).toBeUndefined();
    expect(retirementOf(42)).toBeUndefined();
    expect(retirementOf("azureml://registries/azureml-meta/models/Llama-2-7b/versions/3")).toMatchObject({ name: "Llama-2-7b", retirementDate: "2025-06-30" });
  });

  it("passes a subscription and an endpoint on a catalog model, and an endpoint on a fine-tuned model", () => {
    expect(supportedModelRule.check(resource(SUB, "sub", { properties: { modelId: CATALOG_MODEL_ID } }))).toEqual([]);
    expect(supportedModelRule.check(resource(EP, "ep", endpointProps("prod")))).toEqual([]);
    expect(supportedModelRule.check(resource(EP, "ep", endpointProps("prod", "Enabled", FINE_TUNED)))).toEqual([]);
  });

  it("refuses a subscription to a model outside the catalog, listing the allowed ones", () => {
    const [finding] = supportedModelRule.check(resource(SUB, "sub", { properties: { modelId: "azureml://registries/azureml-meta/models/Meta-Llama-3-70B" } }));
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain('Marketplace subscription "sub" names model "azureml://registries/azureml-meta/models/Meta-Llama-3-70B"');
    expect(finding.message).toContain("which is not in the supported Meta Llama catalog");
    expect(finding.message).toContain(
      "set `llama-finetune-env:model` in Pulumi.prod.yaml to one of: Meta-Llama-3.1-8B-Instruct, Llama-3.3-70B-Instruct, Llama-3.2-11B-Vision-Instruct, Llama-3.2-90B-Vision-Instruct.",
    );
  });

  it("refuses a subscription to a retired model by name, with its retirement date and replacement", () => {
    const [finding] = supportedModelRule.check(resource(SUB, "sub", { properties: { modelId: "azureml://registries/azureml-meta/models/Llama-2-70b/versions/25" } }));
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain(
      'Marketplace subscription "sub" names model "azureml://registries/azureml-meta/models/Llama-2-70b/versions/25" (properties.modelId), which is retired: ' +
        "Llama-2-70b was retired on 2025-06-30 and can no longer be fine-tuned or deployed; use Llama-3.3-70B-Instruct instead",
    );
    expect(finding.message).toContain("Fix: set `llama-finetune-env:model` in Pulumi.prod.yaml to one of: Meta-Llama-3.1-8B-Instruct");
  });

  it("refuses an endpoint that serves a retired model by name and date", () => {
    const [finding] = supportedModelRule.check(resource(EP, "ep", endpointProps("dev", "Enabled", "azureml://registries/azureml-meta/models/Meta-Llama-3.1-70B-Instruct"), { stack: "dev" }));
    expect(finding.message).toMatch(/^Serverless endpoint "ep" serves model .*Meta-Llama-3.1-70B-Instruct" \(properties.modelSettings.modelId\), which is retired: Meta-Llama-3.1-70B-Instruct was retired on 2025-06-30/);
  });

  it("refuses a catalog model once its retirement date has passed (the catalog ages)", () => {
    const aging: LlamaModel = { ...defaultModel(), name: "Aging-Model", lifecycle: { retirementDate: "2027-01-01", replacements: ["Meta-Llama-3.1-8B-Instruct"] } };
    const catalog = { models: [...CATALOG.models, aging], retired: CATALOG.retired };
    const sub = resource(SUB, "sub", { properties: { modelId: registryModelId(aging) } });
    expect(makeSupportedModelRule(() => new Date("2026-12-31T23:59:59Z"), catalog).check(sub)).toEqual([]);
    const [finding] = makeSupportedModelRule(() => new Date("2027-01-01T00:00:00Z"), catalog).check(sub);
    expect(finding.message).toContain("which is retired: Aging-Model was retired on 2027-01-01");
    expect(finding.message).not.toMatch(/one of: .*Aging-Model/);
  });

  it("refuses a subscription to a fine-tuned model id (subscriptions are for catalog models)", () => {
    const [finding] = supportedModelRule.check(resource(SUB, "sub", { marketplaceSubscriptionProperties: { modelId: FINE_TUNED } }));
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain(`names model "${FINE_TUNED}"`);
  });

  it("refuses an endpoint on another model or none, pointing at model and fineTunedModelId", () => {
    for (const modelId of ["azureml://registries/azureml/models/Phi-3-mini-4k-instruct", undefined]) {
      const props = { ...endpointProps("dev"), properties: { authMode: "Key", modelSettings: { modelId } } };
      const [finding] = supportedModelRule.check(resource(EP, "ep", props, { stack: "dev" }));
      expect(finding.enforcement).toBe("mandatory");
      expect(finding.message).toContain(`Serverless endpoint "ep" serves model ${modelId === undefined ? "not set" : `"${modelId}"`}`);
      expect(finding.message).toContain("`llama-finetune-env:fineTunedModelId`");
      expect(finding.message).toContain("Pulumi.dev.yaml");
    }
  });
});
