import { ConfigError, decodePulumiConfig, MAX_BUDGET_AMOUNT, parsePulumiConfig, parseStackConfig } from "../../config/schema";
import { show } from "../../config/messages";
import { CATALOG, defaultModel, modelWarnings, RETIRED_MODELS, type LlamaModel } from "../../config/models";

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
    expect(dev.network).toEqual({ mode: "public" });
    expect(dev.namePrefix).toBe("llft");
    expect(dev.budget.thresholds).toEqual([50, 80, 100]);
    expect(dev.model.task).toBe("chat-completion");
    const prod = parseStackConfig({ ...valid, environment: "prod" }, "Pulumi.prod.yaml");
    expect(prod.network).toMatchObject({ mode: "private", virtualNetwork: { kind: "create", addressSpace: "10.90.0.0/24" } });
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

  test("a budget without contact e-mails is refused: Azure refuses resource-group budgets whose alerts go to nobody", () => {
    expect(problemsOf({ ...valid, budget: { amount: 100, contactEmails: [] } })).toEqual([
      "llama-finetune-env:budget.contactEmails: [] needs at least one e-mail address: Azure refuses a resource-group budget whose alerts go to nobody",
    ]);
    expect(problemsOf({ ...valid, budget: { amount: 100 } })).toEqual([expect.stringMatching(/^llama-finetune-env:budget\.contactEmails: must be a list of e-mail addresses/)]);
  });

  test("an absurd budget amount (1e308) is refused", () => {
    expect(problemsOf({ ...valid, budget: { ...valid.budget, amount: 1e308 } })).toEqual([`llama-finetune-env:budget.amount: 1e+308 must be at most ${MAX_BUDGET_AMOUNT} (in the subscription's billing currency)`]);
  });

  test("the same principal twice, or two spellings of one object id, is refused (it would grant every role twice)", () => {
    const id = "5f0e7c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
    expect(problemsOf({ ...valid, principals: [{ objectId: id, type: "Group" }, { objectId: id.toUpperCase(), type: "Group" }] })).toEqual([
      expect.stringMatching(/^llama-finetune-env:principals\[1\]\.objectId: .* names the same principal as principals\[0\] \(object ids are case-insensitive\)/),
    ]);
    const ok = parseStackConfig({ ...valid, principals: [{ objectId: id.toUpperCase(), type: "User" }] }, "p");
    expect(ok.principals).toEqual([{ objectId: id, type: "User" }]);
  });

  test("placeholder object ids (as once committed in the stack files) are refused before anything is created, saying what to fill in", () => {
    const [problem] = problemsOf({ ...valid, principals: [{ objectId: "00000000-0000-4000-8000-000000000001", type: "Group" }] });
    expect(problem).toMatch(/^llama-finetune-env:principals\[0\]\.objectId: "00000000-0000-4000-8000-000000000001" is a placeholder, not a real object id: put the object id of the user, group or service principal here \(e\.g\. `az ad group show/);
  });

  test("expiresOn must be a real date, and not in the past on the day of the deployment", () => {
    expect(problemsOf({ ...valid, expiresOn: "2026-02-30" })).toEqual(['llama-finetune-env:expiresOn: "2026-02-30" must be a real date as YYYY-MM-DD, e.g. "2026-12-31"']);
    expect(() => parseStackConfig({ ...valid, expiresOn: "2026-01-31" }, "p", { today: "2026-02-01" })).toThrow(/llama-finetune-env:expiresOn: "2026-01-31" is in the past \(today is 2026-02-01\)/);
    expect(parseStackConfig({ ...valid, expiresOn: "2026-02-01" }, "p", { today: "2026-02-01" }).expiresOn).toBe("2026-02-01");
    // Teardown loads configs without a day: an expired stack must still load to be removed.
    expect(parseStackConfig({ ...valid, expiresOn: "2020-01-31" }, "p").expiresOn).toBe("2020-01-31");
  });

  test("budget.startDate is optional; a start more than twelve months ahead is refused on the day of the deployment", () => {
    const { startDate: _omitted, ...budget } = valid.budget;
    expect(parseStackConfig({ ...valid, budget }, "p").budget.startDate).toBeUndefined();
    expect(() => parseStackConfig({ ...valid, budget: { ...budget, startDate: "2028-01-01" } }, "p", { today: "2026-11-26" })).toThrow(
      /budget\.startDate: "2028-01-01" is more than twelve months ahead \(Azure's limit\); the latest start today is "2027-11-01"/,
    );
    // A start that has passed means "this month" (config/budget.ts): not an error.
    expect(parseStackConfig({ ...valid, budget: { ...budget, startDate: "2025-01-01" } }, "p", { today: "2026-11-26" }).budget.startDate).toBe("2025-01-01");
  });

  test("deployerPrincipalType overrides the detection and takes User or ServicePrincipal", () => {
    expect(parseStackConfig({ ...valid, deployerPrincipalType: "ServicePrincipal" }, "p").deployerPrincipalType).toBe("ServicePrincipal");
    expect(problemsOf({ ...valid, deployerPrincipalType: "Group" })).toEqual([expect.stringMatching(/^llama-finetune-env:deployerPrincipalType: "Group" must be one of "User", "ServicePrincipal"/)]);
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

  test("a suggestion that names a retired model says so", () => {
    expect(problemsOf({ ...valid, model: "llama-2-7b" })).toEqual([
      'llama-finetune-env:model: "llama-2-7b" is not a Meta Llama model that can be fine-tuned as a service (did you mean "Llama-2-7b" (retired)? names are case-sensitive); allowed: ' +
        '"Meta-Llama-3.1-8B-Instruct", "Llama-3.3-70B-Instruct", "Llama-3.2-11B-Vision-Instruct", "Llama-3.2-90B-Vision-Instruct"',
    ]);
  });

  test("every registry name the spelling could mean is offered, the retired ones marked", () => {
    const catalog = { models: [{ ...defaultModel(), name: "Llama-Test-1" }], retired: [{ ...RETIRED_MODELS[0]!, name: "Meta-Llama-Test-1" }] };
    expect(problemsOf({ ...valid, model: "llama-test-1" }, { catalog })).toEqual([
      'llama-finetune-env:model: "llama-test-1" is not a Meta Llama model that can be fine-tuned as a service (did you mean "Llama-Test-1" or "Meta-Llama-Test-1" (retired)? names are case-sensitive); allowed: "Llama-Test-1"',
    ]);
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

describe("how problems are told (config/messages.ts)", () => {
  const KNOWN =
    "(known keys: location, model, environment, contentSafety, network, endpointAuth, namePrefix, nameSalt, costCenter, budget, principals, deployerPrincipalType, data, finetune, fineTunedModelId, expiresOn)";

  test("one problem: the message names the file, says 1 problem, and lists it", () => {
    let error: unknown;
    try {
      parseStackConfig({ ...valid, environment: "x" }, "Pulumi.dev.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).name).toBe("ConfigError");
    expect((error as ConfigError).source).toBe("Pulumi.dev.yaml");
    expect((error as Error).message).toBe('Invalid stack configuration in Pulumi.dev.yaml (1 problem):\n  - llama-finetune-env:environment: "x" must be one of "prod", "dev", "test"');
  });

  test("several unknown keys in one map are one problem each, and counted so", () => {
    let error: unknown;
    try {
      parseStackConfig({ ...valid, contentsafety: true, publicNetworkAccess: true, budget: { ...valid.budget, amunt: 5, tresholds: [50] } }, "Pulumi.dev.yaml");
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      "llama-finetune-env:budget.amunt: unknown key; check its spelling",
      "llama-finetune-env:budget.tresholds: unknown key; check its spelling",
      `llama-finetune-env:contentsafety: unknown key; check its spelling ${KNOWN}`,
      'llama-finetune-env:publicNetworkAccess: removed: replaced by network.mode ("public", "restricted" or "private"; prod defaults to "private", dev and test to "public"). ' +
        'publicNetworkAccess: true is network.mode: public; false is network.mode: private with network.deployer: { via: inside-network } (see README "Network")',
    ]);
    expect((error as Error).message).toMatch(/^Invalid stack configuration in Pulumi\.dev\.yaml \(4 problems\):\n  - llama-finetune-env:budget\.amunt: [^\n]*\n  - llama-finetune-env:budget\.tresholds: /);
  });

  test("a value is shown as JSON up to 80 characters, longer ones cut to 77 and an ellipsis", () => {
    const at80 = "a".repeat(78); // "aaa…" with its quotes: 80 characters
    expect(problemsOf({ ...valid, location: at80 })).toEqual([
      `llama-finetune-env:location: "${at80}" is not a region where Meta-Llama-3.1-8B-Instruct can be fine-tuned; allowed: "westus3" (the project must be in one of them)`,
    ]);
    expect(problemsOf({ ...valid, location: `${at80}a` })).toEqual([
      `llama-finetune-env:location: "${"a".repeat(76)}... is not a region where Meta-Llama-3.1-8B-Instruct can be fine-tuned; allowed: "westus3" (the project must be in one of them)`,
    ]);
  });

  test("a value that is not set reads (not set); any other value reads as JSON", () => {
    expect(show(undefined)).toBe("(not set)");
    expect([show(null), show(5), show("x"), show([1, "a"])]).toEqual(["null", "5", '"x"', '[1,"a"]']);
  });

  test("a map given as null is refused as such, without tripping over the keys inside it", () => {
    expect(problemsOf({ ...valid, budget: null })).toEqual(["llama-finetune-env:budget: null is required: { amount, contactEmails, timeGrain?, thresholds?, startDate? }"]);
  });
});

describe("decodePulumiConfig", () => {
  test("keys meant to be strings stay strings even when they look like numbers (a CI run id as nameSalt, a numeric cost center)", () => {
    const decoded = decodePulumiConfig({
      "llama-finetune-env:nameSalt": "12345678901",
      "llama-finetune-env:costCenter": "4711",
      "llama-finetune-env:location": "westus3",
      "llama-finetune-env:expiresOn": "2026-12-31",
      "llama-finetune-env:budget": '{"amount":5,"contactEmails":["a@example.com"]}',
      "llama-finetune-env:contentSafety": "true",
    });
    expect(decoded).toMatchObject({ nameSalt: "12345678901", costCenter: "4711", budget: { amount: 5 }, contentSafety: true });
    const config = parseStackConfig({ ...decoded, environment: "test", data: { trainingFile: "t.jsonl" } }, "Pulumi.pr-1.yaml");
    expect(config.nameSalt).toBe("12345678901");
    expect(config.costCenter).toBe("4711");
  });

  test("every key whose schema is text keeps Pulumi's string as it is, whatever it looks like", () => {
    const textKeys = ["location", "model", "environment", "endpointAuth", "namePrefix", "nameSalt", "costCenter", "deployerPrincipalType", "fineTunedModelId", "expiresOn"];
    const decoded = decodePulumiConfig(Object.fromEntries(textKeys.map((k) => [`llama-finetune-env:${k}`, "123"])));
    expect(decoded).toEqual(Object.fromEntries(textKeys.map((k) => [k, "123"])));
  });

  test("every other key, and a key the schema does not know, is decoded from JSON", () => {
    expect(
      decodePulumiConfig({
        "llama-finetune-env:network": '{"mode":"public"}',
        "llama-finetune-env:principals": "[]",
        "llama-finetune-env:data": '{"trainingFile":"t.jsonl"}',
        "llama-finetune-env:finetune": '{"epochs":2}',
        "llama-finetune-env:contentsafety": "true",
        "llama-finetune-env:budget": "not json",
      }),
    ).toEqual({ network: { mode: "public" }, principals: [], data: { trainingFile: "t.jsonl" }, finetune: { epochs: 2 }, contentsafety: true, budget: "not json" });
  });

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

describe("parsePulumiConfig", () => {
  const all = {
    "llama-finetune-env:environment": "dev",
    "llama-finetune-env:location": "westus3",
    "llama-finetune-env:costCenter": "ml-platform",
    "llama-finetune-env:budget": '{"amount":100,"contactEmails":["a@example.com"]}',
    "llama-finetune-env:data": '{"trainingFile":"examples/data/train.jsonl"}',
    "azure-native:location": "westus3",
    "pulumi:tags": '{"team":"ml"}',
  };

  test("keys of other namespaces (azure-native, pulumi) are allowed", () => {
    expect(parsePulumiConfig(all, "Pulumi.dev.yaml").environment).toBe("dev");
  });

  test("a misspelt key beside an otherwise valid config is the one problem", () => {
    expect(() => parsePulumiConfig({ ...all, "llama-finetune-enV:contentSafety": "false" }, "Pulumi.dev.yaml")).toThrow(
      new ConfigError("Pulumi.dev.yaml", [
        'llama-finetune-enV:contentSafety: the namespace "llama-finetune-enV" is not "llama-finetune-env", so Pulumi would hand this key to nobody and it would be ignored; rename it to llama-finetune-env:contentSafety',
      ]),
    );
  });

  test.each(["llama-finetune-enV", "llama-finetune", "llama_finetune_env", "lama-finetune-env"])("a key of the misspelt namespace %s is refused, not silently ignored", (ns) => {
    let error: unknown;
    try {
      parsePulumiConfig({ ...all, [`${ns}:publicNetworkAccess`]: "false", "llama-finetune-env:environment": "staging" }, "Pulumi.dev.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      `${ns}:publicNetworkAccess: the namespace "${ns}" is not "llama-finetune-env", so Pulumi would hand this key to nobody and it would be ignored; rename it to llama-finetune-env:publicNetworkAccess`,
      'llama-finetune-env:environment: "staging" must be one of "prod", "dev", "test"',
    ]);
  });
});
