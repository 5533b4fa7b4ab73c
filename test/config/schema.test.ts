import { ConfigError, decodePulumiConfig, parseStackConfig } from "../../config/schema";

const valid = {
  environment: "dev",
  location: "westus3",
  model: "Meta-Llama-3.1-8B-Instruct",
  costCenter: "ml-platform",
  budget: { amount: 100, startDate: "2026-12-01", contactEmails: ["a@example.com"] },
  data: { trainingFile: "examples/data/train.jsonl" },
};

function problemsOf(raw: Record<string, unknown>): string[] {
  try {
    parseStackConfig(raw, "Pulumi.x.yaml");
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
    const [problem] = problemsOf({ ...valid, model: "Llama-3-8b" });
    expect(problem).toMatch(/^llama-finetune-env:model: "Llama-3-8b" is not a Meta Llama model/);
    expect(problem).toContain('"Llama-2-7b", "Llama-2-13b"');
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
