/**
 * Required tags on every taggable resource. Cost reports are grouped by `cost-center`,
 * clean-up jobs find stacks by `stack` and `managed-by`, and `environment` decides how
 * strictly the other rules judge the resource (a missing one counts as prod).
 */
import { ENVIRONMENT_KINDS } from "../../config/environments";
import { configKey, ENVIRONMENT_TAG, stackFile } from "./environment";
import { tagLocation, tagsOf } from "./taggable";
import type { Finding, ResourceRule, ResourceUnderTest } from "./types";
import { show } from "./values";

export const REQUIRED_TAGS: readonly string[] = [ENVIRONMENT_TAG, "stack", "cost-center", "managed-by"];

export const requiredTagsRule: ResourceRule = {
  kind: "resource",
  name: "required-tags",
  description: `Every taggable resource carries the tags ${REQUIRED_TAGS.join(", ")}, and environment is one of ${ENVIRONMENT_KINDS.join("|")}.`,
  levels: ["mandatory"],
  check(resource: ResourceUnderTest): Finding[] {
    const location = tagLocation(resource.type, resource.props);
    if (location === undefined) return [];
    const tags = tagsOf(resource.type, resource.props);
    const missing = REQUIRED_TAGS.filter((t) => typeof tags[t] !== "string" || (tags[t] as string).trim() === "");
    const env = tags[ENVIRONMENT_TAG];
    const badEnvironment = !missing.includes(ENVIRONMENT_TAG) && !ENVIRONMENT_KINDS.some((k) => k === env);
    if (missing.length === 0 && !badEnvironment) return [];
    const problems: string[] = [];
    if (missing.length > 0) problems.push(`is missing the tag${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`);
    if (badEnvironment) problems.push(`has ${ENVIRONMENT_TAG} ${show(env)}, which is not one of ${ENVIRONMENT_KINDS.join("|")} (it is judged as prod)`);
    return [
      {
        enforcement: "mandatory",
        message:
          `${resource.type} "${resource.name}" ${problems.join(" and ")} (in \`${location}\`). ` +
          `Fix: give the resource the stack's common tags (${REQUIRED_TAGS.join(", ")}); their values come from ` +
          `\`${configKey("environment")}\` and \`${configKey("costCenter")}\` in ${stackFile(resource.urn)}.`,
      },
    ];
  },
};
