/**
 * Content safety on serverless endpoints. A Llama endpoint without Azure AI Content Safety
 * returns whatever the model generates; in prod that is a safety and reputational risk the
 * person running `pulumi up` cannot accept alone, so it is mandatory there and a warning
 * elsewhere (dev and test stacks may switch it off to measure raw model behaviour).
 */
import { configKey, describeEnvironment, prodMandatory, resourceEnvironment, stackFile } from "./environment";
import { T, type Finding, type ResourceRule, type ResourceUnderTest } from "./types";
import { at, equalsIgnoreCase, nestedProperties, show } from "./values";

export const contentSafetyRule: ResourceRule = {
  kind: "resource",
  name: "serverless-endpoint-content-safety",
  description: "Serverless endpoints have content safety enabled (mandatory in prod, advisory elsewhere).",
  levels: ["mandatory", "advisory"],
  types: [T.serverlessEndpoint],
  check(resource: ResourceUnderTest): Finding[] {
    const status = at(nestedProperties(resource.type, resource.props), "contentSafety", "contentSafetyStatus");
    if (equalsIgnoreCase(status, "Enabled")) return [];
    const env = resourceEnvironment(resource);
    const why = env.kind === "prod" ? "production endpoints must filter harmful prompts and completions" : "endpoints should filter harmful content outside prod too";
    return [
      {
        enforcement: prodMandatory(env),
        message:
          `Serverless endpoint "${resource.name}" (${describeEnvironment(env)}) has content safety ${show(status)} ` +
          `(properties.contentSafety.contentSafetyStatus); ${why}. ` +
          `Fix: set \`${configKey("contentSafety")}: true\` in ${stackFile(resource.urn)}, which sets it to "Enabled".`,
      },
    ];
  },
};
