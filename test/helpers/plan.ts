/**
 * Test helpers for running the real program under the mock runtime (through the offline plan,
 * which records every register request) with a stack file written to a temp directory.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { runPlan, type PlanResult, type RunPlanOptions } from "../../plan/run";
import { buildGraph } from "../../plan/graph";
import type { PlannedResource } from "../../plan/types";

export const PROJECT_DIR = resolve(__dirname, "../..");
export const NS = "llama-finetune-env";

/** The `config:` map of one of the repo's stack files, keys without the namespace. */
export function repoStackConfig(stack: string): Record<string, unknown> {
  const doc = parse(readFileSync(join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k.replace(`${NS}:`, ""), v]));
}

/** Writes `Pulumi.<stack>.yaml` with the given config (keys without namespace) into a new temp dir. */
export function writeStackFile(stack: string, config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "llft-stack-"));
  const namespaced = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined).map(([k, v]) => [`${NS}:${k}`, v]));
  writeFileSync(join(dir, `Pulumi.${stack}.yaml`), stringify({ config: namespaced }));
  return dir;
}

/** A real-looking principal for tests (the committed stack files name none). */
export const TEST_GROUP = { objectId: "5f0e7c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6", type: "Group" };

/**
 * Plans `stack` with the repo's stack file of `template`, with some keys replaced. Tests plan
 * with no ARM_* variables and no Azure CLI profile unless `options` say otherwise, so the
 * developer's own `az login` never changes a result.
 */
export function planWith(stack: string, template: string, overrides: Record<string, unknown> = {}, options: Partial<RunPlanOptions> = {}): Promise<PlanResult> {
  const configDir = writeStackFile(stack, { ...repoStackConfig(template), ...overrides });
  return runPlan({ stack, projectDir: PROJECT_DIR, configDir, env: {}, azureProfile: undefined, ...options });
}

export function ofType(plan: PlanResult, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

export function one(plan: PlanResult, type: string, predicate: (r: PlannedResource) => boolean = () => true): PlannedResource {
  const found = ofType(plan, type).filter(predicate);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

export function get(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** True when `from` depends on `to`, directly or through other resources (component edges expanded). */
export function dependsOnTransitively(plan: PlanResult, from: string, to: string): boolean {
  const { edges } = buildGraph(plan.resources);
  const seen = new Set<string>();
  const pending = [from];
  while (pending.length) {
    const urn = pending.pop() as string;
    if (seen.has(urn)) continue;
    seen.add(urn);
    for (const dep of edges.get(urn) ?? []) {
      if (dep === to) return true;
      pending.push(dep);
    }
  }
  return false;
}
