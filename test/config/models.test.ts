import {
  allFineTuningRegions,
  asRetired,
  availableModelNames,
  CATALOG,
  DEFAULT_MODEL_NAME,
  defaultModel,
  describeRetirement,
  findModel,
  lookupModel,
  MODEL_CATALOG,
  modelNames,
  modelStatusOn,
  modelWarnings,
  registryModelId,
  RETIRED_MODELS,
  suggestModelNames,
  utcDay,
  type LlamaModel,
} from "../../config/models";

/** The availability page as every catalog model cites it first (the fallback source of a lifecycle without one). */
const REGIONS_SOURCE =
  "https://learn.microsoft.com/azure/ai-foundry/how-to/deploy-models-serverless-availability (azure-ai-docs articles/ai-foundry/includes/region-availability-maas.md, 11/24/2025)";

/** The day the issue was worked on; Learn's tables were read as of then. */
const TODAY = new Date("2026-11-26T12:00:00Z");

/** A catalog model with lifecycle dates no real model has yet, to move time over. */
function withLifecycle(lifecycle: LlamaModel["lifecycle"]): LlamaModel {
  return { ...defaultModel(), name: "Test-Model", lifecycle };
}

describe("the catalog (Learn: region-availability-maas.md 11/24/2025, model-lifecycle-retirement.md 02/03/2026)", () => {
  test("holds the four Meta models Learn lists as fine-tunable as a service, all in West US 3", () => {
    expect(modelNames()).toEqual(["Meta-Llama-3.1-8B-Instruct", "Llama-3.3-70B-Instruct", "Llama-3.2-11B-Vision-Instruct", "Llama-3.2-90B-Vision-Instruct"]);
    for (const m of MODEL_CATALOG) {
      expect(m.fineTuningRegions).toEqual(["westus3"]);
      expect(m.task).toBe("chat-completion");
      expect(m.tokenizer).toBe("llama3");
      expect(m.serverlessAuthModes).toEqual(["Key"]);
      expect(m.sources.length).toBeGreaterThan(0);
    }
    expect(allFineTuningRegions()).toEqual(["westus3"]);
  });

  test("vision models read images but take text-only training data (Learn documents image training only for Azure OpenAI)", () => {
    const vision = findModel("Llama-3.2-11B-Vision-Instruct")!;
    expect(vision.inputModalities).toEqual(["text", "image"]);
    expect(vision.trainingImages.accepted).toBe(false);
    expect(findModel("Meta-Llama-3.1-8B-Instruct")!.inputModalities).toEqual(["text"]);
  });

  test("the default model exists and is active on 2026-11-26", () => {
    expect(defaultModel().name).toBe(DEFAULT_MODEL_NAME);
    expect(modelStatusOn(defaultModel(), TODAY)).toBe("active");
    for (const m of MODEL_CATALOG) expect(modelStatusOn(m, TODAY)).toBe("active");
  });

  test("registry ids point at the azureml-meta registry", () => {
    expect(registryModelId(defaultModel())).toBe("azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct");
  });

  test("no name is both in the catalog and retired, and every replacement is a catalog model", () => {
    for (const r of RETIRED_MODELS) {
      expect(findModel(r.name)).toBeUndefined();
      for (const name of r.replacements) expect(findModel(name)).toBeDefined();
    }
  });
});

describe("the retired Meta models (Learn model-lifecycle-retirement.md, \"Retired Foundry Models\" > Meta)", () => {
  test("all nine, each with its replacement, deprecated 2025-03-31 and retired 2025-06-30", () => {
    expect(RETIRED_MODELS.map((r) => [r.name, r.replacements.join(), r.deprecationDate, r.retirementDate])).toEqual([
      ["Llama-2-7b", "Meta-Llama-3.1-8B-Instruct", "2025-03-31", "2025-06-30"],
      ["Llama-2-7b-chat", "Meta-Llama-3.1-8B-Instruct", "2025-03-31", "2025-06-30"],
      ["Llama-2-13b", "Meta-Llama-3.1-8B-Instruct", "2025-03-31", "2025-06-30"],
      ["Llama-2-13b-chat", "Meta-Llama-3.1-8B-Instruct", "2025-03-31", "2025-06-30"],
      ["Llama-2-70b", "Llama-3.3-70B-Instruct", "2025-03-31", "2025-06-30"],
      ["Llama-2-70b-chat", "Llama-3.3-70B-Instruct", "2025-03-31", "2025-06-30"],
      ["Meta-Llama-3-8B-Instruct", "Meta-Llama-3.1-8B-Instruct", "2025-03-31", "2025-06-30"],
      ["Meta-Llama-3-70B-Instruct", "Llama-3.3-70B-Instruct", "2025-03-31", "2025-06-30"],
      ["Meta-Llama-3.1-70B-Instruct", "Llama-3.3-70B-Instruct", "2025-03-31", "2025-06-30"],
    ]);
  });
});

describe("every region where some model can be fine-tuned", () => {
  test("once each, sorted, across the catalog's models", () => {
    const inRegions = (name: string, fineTuningRegions: string[]): LlamaModel => ({ ...defaultModel(), name, fineTuningRegions });
    const catalog = { models: [inRegions("A", ["westus3", "eastus2"]), inRegions("B", ["swedencentral", "westus3"])], retired: [] };
    expect(allFineTuningRegions(catalog)).toEqual(["eastus2", "swedencentral", "westus3"]);
  });
});

describe("a catalog model past its retirement date, described like a retired one", () => {
  test("its dates, replacements and lifecycle source", () => {
    const model = withLifecycle({ deprecationDate: "2026-10-01", retirementDate: "2027-01-01", replacements: ["Llama-3.3-70B-Instruct"], source: "lifecycle page" });
    expect(asRetired(model)).toEqual({ name: "Test-Model", deprecationDate: "2026-10-01", retirementDate: "2027-01-01", replacements: ["Llama-3.3-70B-Instruct"], source: "lifecycle page" });
    expect(describeRetirement(asRetired(model))).toBe(
      "Test-Model was retired on 2027-01-01 and can no longer be fine-tuned or deployed; use Llama-3.3-70B-Instruct instead (source: lifecycle page)",
    );
  });

  test("without replacements or a lifecycle source: no advice, and the model's first source", () => {
    const model = withLifecycle({ retirementDate: "2027-01-01" });
    expect(asRetired(model)).toEqual({ name: "Test-Model", deprecationDate: undefined, retirementDate: "2027-01-01", replacements: [], source: REGIONS_SOURCE });
    expect(describeRetirement(asRetired(model))).toBe(`Test-Model was retired on 2027-01-01 and can no longer be fine-tuned or deployed (source: ${REGIONS_SOURCE})`);
    expect(asRetired({ ...model, lifecycle: {}, sources: [] })).toEqual({ name: "Test-Model", deprecationDate: undefined, retirementDate: "", replacements: [], source: "" });
  });

  test("two replacements are offered as alternatives", () => {
    expect(describeRetirement({ ...RETIRED_MODELS[0]!, replacements: ["A", "B"], source: "s" })).toBe("Llama-2-7b was retired on 2025-06-30 and can no longer be fine-tuned or deployed; use A or B instead (source: s)");
  });
});

describe("lookupModel", () => {
  test("finds catalog models by exact name only", () => {
    expect(lookupModel("Llama-3.3-70B-Instruct")).toEqual({ kind: "available", model: findModel("Llama-3.3-70B-Instruct") });
    expect(lookupModel("llama-3.3-70b-instruct")).toEqual({ kind: "unknown" });
    expect(lookupModel("Phi-4")).toEqual({ kind: "unknown" });
  });

  test.each([
    ["Llama-2-7b", "Meta-Llama-3.1-8B-Instruct"],
    ["Llama-2-13b", "Meta-Llama-3.1-8B-Instruct"],
    ["Llama-2-70b", "Llama-3.3-70B-Instruct"],
    ["Meta-Llama-3.1-70B-Instruct", "Llama-3.3-70B-Instruct"],
    ["Llama-2-7b-chat", "Meta-Llama-3.1-8B-Instruct"],
    ["Meta-Llama-3-8B-Instruct", "Meta-Llama-3.1-8B-Instruct"],
  ])("%s is retired on 2025-06-30, replaced by %s", (name, replacement) => {
    const found = lookupModel(name);
    expect(found.kind).toBe("retired");
    if (found.kind !== "retired") return;
    expect(found.retired).toMatchObject({ name, retirementDate: "2025-06-30", deprecationDate: "2025-03-31", replacements: [replacement] });
    expect(found.retired.source).toContain("model-lifecycle-retirement.md");
    expect(describeRetirement(found.retired)).toMatch(new RegExp(`^${name} was retired on 2025-06-30 .*use ${replacement} instead`));
  });

  test("suggests registry names that differ only in case, separators or a Meta- prefix", () => {
    expect(suggestModelNames("meta-llama-3.1-8b-instruct")).toEqual(["Meta-Llama-3.1-8B-Instruct"]);
    expect(suggestModelNames("Meta-Llama-3.3-70B-Instruct")).toEqual(["Llama-3.3-70B-Instruct"]);
    expect(suggestModelNames("llama-2-7B")).toEqual(["Llama-2-7b"]);
    expect(suggestModelNames("Meta-Llama-3.1-8B-Instruct")).toEqual([]);
    expect(suggestModelNames("gpt-4o")).toEqual([]);
    expect(suggestModelNames("---")).toEqual([]);
  });
});

describe("modelStatusOn: the catalog ages with the calendar (stages start 00:00 UTC)", () => {
  const model = withLifecycle({ deprecationDate: "2027-03-01", retirementDate: "2027-06-01", replacements: ["Llama-3.3-70B-Instruct"] });

  test("active before the deprecation date, deprecated from it, retired from the retirement date", () => {
    expect(modelStatusOn(model, TODAY)).toBe("active");
    expect(modelStatusOn(model, new Date("2027-02-28T23:59:59Z"))).toBe("active");
    expect(modelStatusOn(model, new Date("2027-03-01T00:00:00Z"))).toBe("deprecated");
    expect(modelStatusOn(model, new Date("2027-05-31T23:59:59Z"))).toBe("deprecated");
    expect(modelStatusOn(model, new Date("2027-06-01T00:00:00Z"))).toBe("retired");
  });

  test("the day of a moment is its UTC calendar day", () => {
    expect(utcDay(new Date("2026-11-26T23:59:59.999Z"))).toBe("2026-11-26");
    expect(utcDay(new Date("2026-11-27T00:30:00+01:00"))).toBe("2026-11-26");
  });

  test("a model with only a retirement date goes straight from active to retired", () => {
    const m = withLifecycle({ retirementDate: "2027-01-15" });
    expect(modelStatusOn(m, new Date("2027-01-14T12:00:00Z"))).toBe("active");
    expect(modelStatusOn(m, new Date("2027-01-15T00:00:00Z"))).toBe("retired");
  });

  test("a retired catalog model drops out of the allowed names", () => {
    const catalog = { models: [defaultModel(), withLifecycle({ retirementDate: "2027-01-15" })], retired: CATALOG.retired };
    expect(availableModelNames(TODAY, catalog)).toEqual(["Meta-Llama-3.1-8B-Instruct", "Test-Model"]);
    expect(availableModelNames(new Date("2027-01-15T00:00:00Z"), catalog)).toEqual(["Meta-Llama-3.1-8B-Instruct"]);
  });
});

describe("modelWarnings", () => {
  test("no warning for an active model", () => {
    expect(modelWarnings({ model: defaultModel() }, TODAY)).toEqual([]);
  });

  test("the whole warning: dates, replacements, and the lifecycle source (else the model's first source, else the catalog file)", () => {
    const model = withLifecycle({ deprecationDate: "2026-10-01", retirementDate: "2027-01-01", replacements: ["Llama-3.3-70B-Instruct", "Meta-Llama-3.1-8B-Instruct"], source: "lifecycle page" });
    expect(modelWarnings({ model }, TODAY)).toEqual([
      "model Test-Model (llama-finetune-env:model) is deprecated since 2026-10-01: existing endpoints keep working but Azure refuses new deployments, and retires on 2027-01-01; " +
        "move llama-finetune-env:model to Llama-3.3-70B-Instruct or Meta-Llama-3.1-8B-Instruct (source: lifecycle page)",
    ]);
    const bare = withLifecycle({ deprecationDate: "2026-10-01" });
    expect(modelWarnings({ model: bare }, TODAY)).toEqual([
      `model Test-Model (llama-finetune-env:model) is deprecated since 2026-10-01: existing endpoints keep working but Azure refuses new deployments (source: ${REGIONS_SOURCE})`,
    ]);
    expect(modelWarnings({ model: { ...withLifecycle({ deprecationDate: "2026-10-01", replacements: [] }), sources: [] } }, TODAY)).toEqual([
      "model Test-Model (llama-finetune-env:model) is deprecated since 2026-10-01: existing endpoints keep working but Azure refuses new deployments (source: config/models.ts)",
    ]);
  });

  test("a deprecated model warns with its dates and replacement; a retired one is refused elsewhere, not warned about", () => {
    const model = withLifecycle({ deprecationDate: "2026-10-01", retirementDate: "2027-01-01", replacements: ["Llama-3.3-70B-Instruct"] });
    const [warning, ...rest] = modelWarnings({ model }, TODAY);
    expect(rest).toEqual([]);
    expect(warning).toMatch(/^model Test-Model \(llama-finetune-env:model\) is deprecated since 2026-10-01: existing endpoints keep working but Azure refuses new deployments, and retires on 2027-01-01; move llama-finetune-env:model to Llama-3.3-70B-Instruct/);
    expect(modelWarnings({ model }, new Date("2027-01-01T00:00:00Z"))).toEqual([]);
  });
});

describe("sources", () => {
  /** `https://learn.microsoft.com/azure/ai-foundry/<page> (azure-ai-docs articles/ai-foundry/<file>.md, MM/DD/YYYY)`. */
  const CITATION = /^https:\/\/learn\.microsoft\.com\/azure\/ai-foundry\/([a-z-]+\/[a-z0-9-]+) \(azure-ai-docs articles\/ai-foundry\/([a-z-]+\/[a-z0-9-]+)\.md, \d{2}\/\d{2}\/\d{4}\)$/;

  test("every fact of every model cites a Learn page with its azure-ai-docs file and date", () => {
    for (const m of MODEL_CATALOG) {
      for (const source of [...m.sources, m.lifecycle.source, m.trainingImages.source]) expect(source).toMatch(CITATION);
    }
    for (const r of RETIRED_MODELS) expect(r.source).toMatch(CITATION);
  });

  test("the default model cites region availability, lifecycle, serverless fine-tuning and serverless endpoint auth; images cite the fine-tuning overview", () => {
    const pages = defaultModel().sources.map((s) => CITATION.exec(s)![1]);
    expect(pages).toEqual(["how-to/deploy-models-serverless-availability", "concepts/model-lifecycle-retirement", "how-to/fine-tune-serverless", "how-to/deploy-models-serverless"]);
    // The availability page includes its region table from another file, which the citation names.
    expect(CITATION.exec(defaultModel().sources[0]!)![2]).toBe("includes/region-availability-maas");
    expect(CITATION.exec(defaultModel().trainingImages.source)![1]).toBe("concepts/fine-tuning-overview");
  });

  test("vision models explain why their training data is text only; text models say they read text only", () => {
    expect(findModel("Llama-3.2-90B-Vision-Instruct")!.trainingImages).toMatchObject({
      accepted: false,
      reason:
        "Learn documents serverless fine-tuning of this model (West US 3) but image training data only for Azure OpenAI gpt-4o and gpt-4.1; its fine-tuning data is text-only as far as Microsoft documents",
    });
    expect(defaultModel().trainingImages).toMatchObject({ accepted: false, reason: "the model reads text only" });
    expect(MODEL_CATALOG.map((m) => [m.name, m.family, m.maxSequenceLength, m.inputModalities.join("+")])).toEqual([
      ["Meta-Llama-3.1-8B-Instruct", "llama-3.1", 8192, "text"],
      ["Llama-3.3-70B-Instruct", "llama-3.3", 8192, "text"],
      ["Llama-3.2-11B-Vision-Instruct", "llama-3.2", 8192, "text+image"],
      ["Llama-3.2-90B-Vision-Instruct", "llama-3.2", 8192, "text+image"],
    ]);
  });
});
