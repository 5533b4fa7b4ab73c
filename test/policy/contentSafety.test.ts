import { contentSafetyRule } from "../../policy/rules/contentSafety";
import { endpointProps, resource, tagsFor } from "./fixtures";

const EP = "azure-native:machinelearningservices:ServerlessEndpoint";

describe("serverless-endpoint-content-safety", () => {
  it("passes an endpoint with content safety enabled, in every environment", () => {
    for (const env of ["prod", "dev", "test"] as const) {
      expect(contentSafetyRule.check(resource(EP, "ep", endpointProps(env, "Enabled"), { stack: env }))).toEqual([]);
    }
  });

  it("refuses a prod endpoint with content safety disabled, naming the endpoint and the config key to set", () => {
    const [finding, ...rest] = contentSafetyRule.check(resource(EP, "llama-ep", endpointProps("prod", "Disabled"), { stack: "prod" }));
    expect(rest).toEqual([]);
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain('Serverless endpoint "llama-ep" (environment prod) has content safety "Disabled"');
    expect(finding.message).toContain("set `llama-finetune-env:contentSafety: true` in Pulumi.prod.yaml");
  });

  it("only warns for a dev endpoint without content safety", () => {
    const props = { ...endpointProps("dev"), properties: { authMode: "Key" } };
    const [finding] = contentSafetyRule.check(resource(EP, "ep", props, { stack: "dev" }));
    expect(finding.enforcement).toBe("advisory");
    expect(finding.message).toContain("has content safety not set");
    expect(finding.message).toContain("Pulumi.dev.yaml");
  });

  it("treats an endpoint without an environment tag as prod, and says so", () => {
    const props = { ...endpointProps("dev", "Disabled"), tags: { ...tagsFor("dev"), environment: undefined } };
    const [finding] = contentSafetyRule.check(resource(EP, "ep", props, { stack: "dev" }));
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain("environment prod, assumed: no valid `environment` tag");
  });

  it("accepts the ARM-schema name serverlessEndpointProperties and any casing of Enabled", () => {
    const props = { serverlessEndpointProperties: { contentSafety: { contentSafetyStatus: "enabled" } }, tags: tagsFor("prod") };
    expect(contentSafetyRule.check(resource(EP, "ep", props))).toEqual([]);
  });
});
