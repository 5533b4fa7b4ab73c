/**
 * Values that are not known yet, as a Node dynamic provider receives them during `pulumi preview`
 * (and the preview step of an interactive `pulumi up`).
 *
 * How they arrive (@pulumi/pulumi 3.248, cmd/dynamic-provider/index.js): the provider host hands
 * `check(olds, news)` and `diff(id, olds, news)` the engine's property struct as plain JavaScript
 * (`req.getNews().toJavaScript()`), where every unknown value, at any depth, is the string
 * {@link UNKNOWN} (`unknownValue` in runtime/rpc.js). No Output or Unknown object ever reaches a
 * dynamic provider. So an unknown storage account name is that GUID-like string, and a check that
 * validates it as a name must skip it instead of failing the whole preview (issue 9, defect 4).
 * `create`/`update`/`delete` never see unknowns: the engine resolves inputs before running them.
 *
 * Plain data only (no module objects), so provider closures that use these serialize cleanly.
 */

/** Pulumi's wire sentinel for an unknown value (sdk/nodejs/runtime/rpc.ts `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` is the unknown sentinel itself. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when `value` is unknown or holds an unknown anywhere inside (arrays, objects). */
export function containsUnknowns(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknowns);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknowns);
  return false;
}

/** The top-level input names whose values are (or contain) unknowns, sorted. */
export function unknownKeys(inputs: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(inputs)
    .filter((k) => containsUnknowns(inputs[k]))
    .sort();
}
