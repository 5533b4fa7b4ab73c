/**
 * The dynamic providers (arm/) accept unknown inputs.
 *
 * Pulumi behaviour: in `pulumi preview`, an input that comes from a resource not created yet is
 * unknown, and the engine still calls the provider's `check` (and `diff`, for an existing
 * resource) with it; a dynamic provider receives the unknown as the sentinel string
 * `rpc.unknownValue` ("04da6b54-80e4-46f7-96ec-b56ff0331ba9", @pulumi/pulumi
 * cmd/dynamic-provider/index.js). A provider that validates it as a real value fails the preview
 * of every fresh stack. Source: https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/
 * (check/diff run during previews) and the SDK file above.
 *
 * The rule runs each dynamic resource's real provider on the planned inputs, with the inputs
 * that are unknown in this plan, or that come from another resource (unknown in the preview of
 * a fresh stack), replaced by the sentinel.
 */
import type * as pulumi from "@pulumi/pulumi";
import { makeBlobUploadProvider } from "../../arm/blobUploadResource";
import { makeDataAssetProvider, makeDataAssetVersionProvider } from "../../arm/dataAssetResource";
import { makeProviderRegistrationProvider } from "../../arm/providerRegistrationResource";
import type { PlannedResource } from "../../plan/types";
import { isUnknown, T } from "../resources";
import type { Finding, PlanFacts, PlanRule } from "../types";

/** What the engine hands a dynamic provider for an unknown value (rpc.unknownValue). */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Stands for the recorded state of an input that this plan only knows as unknown. */
const PREVIOUS_VALUE = "previous-value";

type AnyProvider = pulumi.dynamic.ResourceProvider<Record<string, unknown>, Record<string, unknown>>;

/** The providers behind the dynamic resource types of this repo. Building one calls nothing. */
export const DYNAMIC_PROVIDERS: Readonly<Record<string, () => AnyProvider>> = {
  [T.blobUpload]: () => makeBlobUploadProvider() as unknown as AnyProvider,
  [T.providerRegistration]: () => makeProviderRegistrationProvider() as unknown as AnyProvider,
  [T.dataAsset]: () => makeDataAssetProvider() as unknown as AnyProvider,
  [T.dataAssetVersion]: () => makeDataAssetVersionProvider() as unknown as AnyProvider,
};

function withUnknowns(value: unknown): unknown {
  if (isUnknown(value)) return UNKNOWN_SENTINEL;
  if (Array.isArray(value)) return value.map(withUnknowns);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnknowns(v)]));
  return value;
}

/** The inputs as the engine would pass them in a preview: recorded unknowns and resource-derived inputs unknown. */
export function previewInputs(r: PlannedResource): { news: Record<string, unknown>; unknown: string[] } {
  const news: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(r.inputs)) {
    if (key === "__provider" || value === undefined || value === null) continue;
    const fromResource = (r.propertyDependencies?.[key] ?? []).length > 0;
    news[key] = fromResource ? UNKNOWN_SENTINEL : withUnknowns(value);
    if (fromResource || JSON.stringify(news[key]).includes(UNKNOWN_SENTINEL)) unknown.push(key);
  }
  return { news, unknown };
}

export async function checkDynamicResource(r: PlannedResource, provider: AnyProvider): Promise<Finding[]> {
  const { news, unknown } = previewInputs(r);
  const finding = (message: string): Finding => ({ severity: "error", urn: r.urn, resourceName: r.name, message });
  const findings: Finding[] = [];
  try {
    const result = provider.check ? await provider.check({}, news) : { failures: [] };
    for (const failure of result.failures ?? []) {
      findings.push(
        finding(
          unknown.includes(failure.property)
            ? `"${r.name}": its provider's check refuses the unknown value of "${failure.property}" (${failure.reason}); every preview of a fresh stack would fail. Fix: accept unknowns in check.`
            : `"${r.name}": its provider's check refuses "${failure.property}": ${failure.reason}`,
        ),
      );
    }
  } catch (error) {
    findings.push(finding(`"${r.name}": its provider's check throws on the preview inputs (unknown: ${unknown.join(", ") || "none"}): ${(error as Error).message}`));
  }
  if (unknown.length > 0 && provider.diff) {
    // An update preview: the old state is known (a stand-in where this plan has no value), some new inputs are not.
    const olds = Object.fromEntries(Object.entries(news).map(([k, v]) => [k, unknown.includes(k) ? PREVIOUS_VALUE : v]));
    try {
      await provider.diff(r.urn, olds, news);
    } catch (error) {
      findings.push(finding(`"${r.name}": its provider's diff throws when ${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} unknown: ${(error as Error).message}`));
    }
  }
  return findings;
}

export const dynamicProvidersRule: PlanRule = {
  name: "dynamic-providers-accept-unknowns",
  description: "Each dynamic provider's check and diff accept the unknown inputs of a preview.",
  source: "https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/; @pulumi/pulumi cmd/dynamic-provider/index.js (unknowns arrive as rpc.unknownValue)",
  async check(plan: PlanFacts): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const r of plan.resources.filter((x) => x.custom && x.type.startsWith("pulumi-nodejs:dynamic"))) {
      const make = DYNAMIC_PROVIDERS[r.type];
      if (!make) {
        findings.push({ severity: "warning", urn: r.urn, resourceName: r.name, message: `"${r.name}": no provider registered for ${r.type} in deployability/rules/dynamicProviders.ts, so its check was not exercised` });
        continue;
      }
      findings.push(...(await checkDynamicResource(r, make())));
    }
    return findings;
  },
};
