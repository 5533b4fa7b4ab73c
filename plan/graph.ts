/**
 * Orders the planned resources the way the engine would: creation waves (everything in a wave
 * can be created in parallel once the earlier waves exist) and the destroy order (dependents
 * first). Only cloud (custom) resources take part; components are groupings.
 */
import type { PlannedResource } from "./types";

export interface PlanGraph {
  /** URNs of custom resources, wave by wave, each wave sorted. */
  waves: string[][];
  /** URNs of custom resources in the order `pulumi destroy` deletes them. */
  destroyOrder: string[];
  /** Custom-resource dependencies after expanding components to their custom descendants. */
  edges: Map<string, string[]>;
}

export function buildGraph(resources: readonly PlannedResource[]): PlanGraph {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const children = new Map<string, string[]>();
  for (const r of resources) {
    if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
  }
  /** A dependency on a component means a dependency on every cloud resource inside it. */
  const expand = (urn: string, seen = new Set<string>()): string[] => {
    if (seen.has(urn)) return [];
    seen.add(urn);
    const r = byUrn.get(urn);
    if (!r) return [];
    if (r.custom) return [urn];
    return (children.get(urn) ?? []).flatMap((c) => expand(c, seen));
  };

  const custom = resources.filter((r) => r.custom);
  const edges = new Map<string, string[]>();
  for (const r of custom) {
    const deps = new Set(r.dependsOn.flatMap((d) => expand(d)));
    deps.delete(r.urn);
    edges.set(r.urn, [...deps].sort());
  }

  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const levelOf = (urn: string): number => {
    const known = level.get(urn);
    if (known !== undefined) return known;
    if (visiting.has(urn)) throw new Error(`dependency cycle through ${urn}`);
    visiting.add(urn);
    const deps = edges.get(urn) ?? [];
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(levelOf));
    visiting.delete(urn);
    level.set(urn, value);
    return value;
  };
  const waves: string[][] = [];
  for (const r of custom) {
    const l = levelOf(r.urn);
    (waves[l] ??= []).push(r.urn);
  }
  for (const wave of waves) wave.sort();

  // Deleting runs the creation order backwards: the last wave goes first.
  const destroyOrder = [...waves].reverse().flat();
  return { waves, destroyOrder, edges };
}
