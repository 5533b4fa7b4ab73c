import { ConfigError, decodePulumiConfig, parseStackConfig } from "../../config/schema";
import { CATALOG, defaultModel, modelWarnings, type LlamaModel } from "../../config/models";

const valid = {
  environment: "dev",
  location: "westus3",
  model: "Meta-Llama-3.1-8B-Instruct",
  costCenter: "ml-platform",
  budget: { amount: 100, startDate: "2026-12-01", contactEmails: ["a@example.com"] },
  data: { trainingFile: "examples/data/train.jsonl" },
};

const TODAY = new Date("2026-11-26T12:00:00Z");

function problemsOf(raw: Record<string, unknown>, options: Parameters<typeof parseStackConfig>[2] = {}): string[] {
  try {
    parseStackConfig(raw, "Pulumi.x.yaml", { today: TODAY, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error("expected the config to be refused");
}

describe("parseStackConfig", () => {
  test("fills defaults from the environment kind", () => {
    const dev = parseStackConfig(valid, "Pulumi.dev.yaml");
    expect(dev.contentSafety).toBe(true);
    expect(dev.publicNetworkAccess).toBe(true);
    expect(dev.namePrefix).toBe("llft");
    expect(dev.budget.thresholds).toEqual([50, 80, 100]);
    expect(dev.model.task).toBe("chat-completion");
    const prod = parseStackConfig({ ...valid, environment: "prod" }, "Pulumi.prod.yaml");
    expect(prod.publicNetworkAccess).toBe(false);
  });

  test("keeps an explicit content safety choice", () => {
    expect(parseStackConfig({ ...valid, contentSafety: false }, "p").contentSafety).toBe(false);
  });

  test("lists every problem at once, each with key, value and what is allowed", () => {
    const problems = problemsOf({
      ...valid,
      environment: "staging",
      contentSafety: "yes",
      budget: { amount: -5, startDate: "2026-12-15", contactEmails: ["not-an-email"] },
      principals: [{ objectId: "abc", type: "Robot" }],
      contentsafety: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'llama-finetune-env:environment: "staging" must be one of "prod", "dev", "test"',
        'llama-finetune-env:contentSafety: "yes" must be true or false',
        expect.stringMatching(/^llama-finetune-env:budget\.amount: -5 must be greater than 0/),
        expect.stringMatching(/^llama-finetune-env:budget\.startDate: "2026-12-15" must be the first day of a month/),
        'llama-finetune-env:budget.contactEmails[0]: "not-an-email" must be an e-mail address',
        expect.stringMatching(/^llama-finetune-env:principals\[0\]\.objectId: "abc" must be the Microsoft Entra object id/),
        'llama-finetune-env:principals[0].type: "Robot" must be one of "User", "Group", "ServicePrincipal"',
        expect.stringMatching(/^llama-finetune-env:contentsafety: unknown key; check its spelling \(known keys: location, model, environment, contentSafety/),
      ]),
    );
    expect(problems).toHaveLength(8);
  });

  test("a region where the model cannot be fine-tuned names the regions where it can", () => {
    expect(problemsOf({ ...valid, location: "eastus" })).toEqual([
      'llama-finetune-env:location: "eastus" is not a region where Meta-Llama-3.1-8B-Instruct can be fine-tuned; allowed: "westus3" (the project must be in one of them)',
    ]);
  });

  test("an unknown model lists the catalog", () => {
    expect(problemsOf({ ...valid, model: "Llama-3-8b" })).toEqual([
      'llama-finetune-env:model: "Llama-3-8b" is not a Meta Llama model that can be fine-tuned as a service; allowed: ' +
        '"Meta-Llama-3.1-8B-Instruct", "Llama-3.3-70B-Instruct", "Llama-3.2-11B-Vision-Instruct", "Llama-3.2-90B-Vision-Instruct"',
    ]);
  });

  test("an unknown model spelled like a known one gets a suggestion", () => {
    const [problem] = problemsOf({ ...valid, model: "meta-llama-3.1-8b-instruct" });
    expect(problem).toContain('(did you mean "Meta-Llama-3.1-8B-Instruct"? names are case-sensitive)');
  });

  test.each([
    ["Llama-2-7b", "Meta-Llama-3.1-8B-Instruct"],
    ["Llama-2-70b", "Llama-3.3-70B-Instruct"],
    ["Meta-Llama-3.1-70B-Instruct", "Llama-3.3-70B-Instruct"],
  ])("a retired model (%s) is refused with its retirement date and replacement", (model, replacement) => {
    const problems = problemsOf({ ...valid, model });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^llama-finetune-env:model: "${model}" is retired: ${model} was retired on 2025-06-30 and can no longer be fine-tuned or deployed; use ${replacement} instead \\(source: .*model-lifecycle-retirement`));
  });

  test("an unknown model and a bad location are both named; location is checked against every catalog region", () => {
    const problems = problemsOf({ ...valid, model: "Llama-9", location: "eastus" });
    expect(problems).toEqual([
      expect.stringMatching(/^llama-finetune-env:model: "Llama-9" is not a Meta Llama model/),
      'llama-finetune-env:location: "eastus" is not a region where any catalog model can be fine-tuned; allowed: "westus3" (the project must be in one of them)',
    ]);
    // A good location beside an unknown model draws no location problem.
    expect(problemsOf({ ...valid, model: "Llama-9" })).toHaveLength(1);
  });

  test("a retired model and a bad location are both named", () => {
    const problems = problemsOf({ ...valid, model: "Llama-2-13b", location: "swedencentral" });
    expect(problems).toEqual([
      expect.stringMatching(/^llama-finetune-env:model: "Llama-2-13b" is retired: Llama-2-13b was retired on 2025-06-30/),
      expect.stringMatching(/^llama-finetune-env:location: "swedencentral" is not a region where any catalog model can be fine-tuned/),
    ]);
  });

  describe("lifecycle dates of catalog models, judged on the given day", () => {
    const aging: LlamaModel = {
      ...defaultModel(),
      name: "Aging-Model",
      lifecycle: { deprecationDate: "2026-10-01", retirementDate: "2027-01-01", replacements: ["Llama-3.3-70B-Instruct"] },
    };
    const catalog = { models: [...CATALOG.models, aging], retired: CATALOG.retired };

    test("a deprecated model is accepted, and modelWarnings reports it", () => {
      const config = parseStackConfig({ ...valid, model: "Aging-Model" }, "Pulumi.x.yaml", { today: TODAY, catalog });
      expect(config.model.name).toBe("Aging-Model");
      expect(modelWarnings(config, TODAY)).toEqual([expect.stringMatching(/^model Aging-Model \(llama-finetune-env:model\) is deprecated since 2026-10-01/)]);
    });

    test("once its retirement date has passed, the same model is refused as retired", () => {
      expect(problemsOf({ ...valid, model: "Aging-Model" }, { today: new Date("2027-01-01T00:00:00Z"), catalog })).toEqual([
        expect.stringMatching(/^llama-finetune-env:model: "Aging-Model" is retired: Aging-Model was retired on 2027-01-01 .*use Llama-3.3-70B-Instruct instead/),
      ]);
    });
  });

  test("missing required keys are named", () => {
    const problems = problemsOf({ location: "westus3" });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^llama-finetune-env:environment: must be one of/),
        expect.stringMatching(/^llama-finetune-env:costCenter: is required/),
        expect.stringMatching(/^llama-finetune-env:budget: is required/),
        expect.stringMatching(/^llama-finetune-env:data: is required/),
      ]),
    );
  });

  test("the error message lists the source file and every problem", () => {
    try {
      parseStackConfig({ ...valid, environment: "x", location: "eastus" }, "Pulumi.dev.yaml");
      throw new Error("expected refusal");
    } catch (error) {
      expect((error as Error).message).toMatch(/^Invalid stack configuration in Pulumi.dev.yaml \(2 problems\):\n  - /);
    }
  });
});

describe("decodePulumiConfig", () => {
  test("decodes JSON values of our namespace and ignores others", () => {
    expect(
      decodePulumiConfig({
        "llama-finetune-env:location": "westus3",
        "llama-finetune-env:contentSafety": "false",
        "llama-finetune-env:budget": '{"amount":5}',
        "azure-native:location": "westus3",
      }),
    ).toEqual({ location: "westus3", contentSafety: false, budget: { amount: 5 } });
  });
});
