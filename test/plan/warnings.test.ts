import { parseStackConfig } from "../../config/schema";
import { defaultModel, type LlamaModel } from "../../config/models";
import { planWarnings } from "../../plan/warnings";

const config = parseStackConfig(
  {
    environment: "dev",
    location: "westus3",
    costCenter: "ml-platform",
    budget: { amount: 100, startDate: "2026-12-01", contactEmails: ["a@example.com"] },
    principals: [{ objectId: "11111111-2222-4333-8444-555555555555", type: "User" }],
    data: { trainingFile: "examples/data/train.jsonl" },
  },
  "Pulumi.dev.yaml",
);

describe("planWarnings: the model's lifecycle", () => {
  test("an active model adds no warning (only the note that its endpoints take keys, with its source)", () => {
    expect(planWarnings(config, "dev")).toEqual([expect.stringMatching(/^serverless endpoints use key authentication: .*how-to\/deploy-models-serverless /)]);
  });

  test("a deprecated model (deprecation date passed, retirement date ahead) is warned about first", () => {
    // Dates far apart so the test holds on whatever day it runs.
    const deprecated: LlamaModel = { ...defaultModel(), name: "Old-Model", lifecycle: { deprecationDate: "2000-01-01", retirementDate: "2999-01-01" } };
    const [first] = planWarnings({ ...config, model: deprecated }, "dev");
    expect(first).toMatch(/^model Old-Model \(llama-finetune-env:model\) is deprecated since 2000-01-01: existing endpoints keep working but Azure refuses new deployments, and retires on 2999-01-01/);
  });
});
