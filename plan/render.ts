/**
 * Renders a plan for people: a text report for the terminal, a Mermaid flowchart that GitHub
 * renders, and a Markdown summary for a pull-request comment. JSON is the PlanResult itself,
 * in `toJson` (stable order, secrets already hidden by the recorder).
 */
import { formatFindings } from "../deployability";
import type { PlanResult } from "./run";
import type { PlannedResource } from "./types";

const short = (type: string): string => type.replace(/^azure-native:/, "").replace(/^pulumi-nodejs:dynamic[^:]*:/, "dynamic:");

function get(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** The few inputs that tell a reviewer what a resource is, e.g. `kind=Hub sku=Consumption`. */
export function keySettings(r: PlannedResource): string {
  const parts: string[] = [];
  const add = (label: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== "") parts.push(`${label}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`);
  };
  add("kind", r.inputs.kind);
  add("sku", get(r.inputs, "sku.name"));
  add("location", r.inputs.location);
  add("publicNetworkAccess", r.inputs.publicNetworkAccess ?? get(r.inputs, "properties.publicNetworkAccess"));
  add("firewall", get(r.inputs, "networkRuleSet.defaultAction") ?? get(r.inputs, "properties.networkAcls.defaultAction"));
  add("isolationMode", get(r.inputs, "managedNetwork.isolationMode"));
  add("groupIds", (get(r.inputs, "privateLinkServiceConnections") as { groupIds?: string[] }[] | undefined)?.flatMap((c) => c.groupIds ?? []).join(","));
  add("authMode", get(r.inputs, "properties.authMode"));
  add("contentSafety", get(r.inputs, "properties.contentSafety.contentSafetyStatus"));
  add("modelId", get(r.inputs, "properties.modelId") ?? get(r.inputs, "properties.modelSettings.modelId"));
  add("namespace", r.inputs.namespace);
  if (r.type === "azure-native:consumption:Budget") {
    add("amount", r.inputs.amount);
    add("timeGrain", r.inputs.timeGrain);
    const notifications = (r.inputs.notifications ?? {}) as Record<string, { threshold?: number; contactEmails?: string[] }>;
    const thresholds = Object.values(notifications).map((n) => n.threshold ?? 0).sort((a, b) => a - b);
    add("thresholds", thresholds.map((t) => `${t}%`).join(","));
    add("contacts", Object.values(notifications)[0]?.contactEmails?.length ?? 0);
  }
  if (r.protect) parts.push("protect");
  if (r.retainOnDelete) parts.push("retainOnDelete");
  if (r.deleteBeforeReplace) parts.push("deleteBeforeReplace");
  if (r.ignoreChanges?.length) parts.push(`ignoreChanges=${r.ignoreChanges.join(",")}`);
  return parts.join(" ");
}

/** Resources in tree order: each parent followed by its children, by name. */
function tree(plan: PlanResult): Array<{ resource: PlannedResource; depth: number }> {
  const children = new Map<string | undefined, PlannedResource[]>();
  const urns = new Set(plan.resources.map((r) => r.urn));
  for (const r of plan.resources) {
    const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const out: Array<{ resource: PlannedResource; depth: number }> = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push({ resource: r, depth });
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  return out;
}

function nameOf(plan: PlanResult, urn: string): string {
  return plan.resources.find((r) => r.urn === urn)?.name ?? urn;
}

export function renderText(plan: PlanResult): string {
  const custom = plan.resources.filter((r) => r.custom).length;
  const lines = [
    `Offline plan for stack "${plan.stack}" (environment ${plan.environment}): ${custom} Azure resources in ${plan.resources.length - custom} components, ${plan.waves.length} creation waves`,
    "",
    "Resources:",
  ];
  for (const { resource, depth } of tree(plan)) {
    const settings = resource.custom ? keySettings(resource) : "";
    // Components are groupings (shown with a trailing "/"), resources are what Azure creates.
    const label = resource.custom ? `${resource.name} (${short(resource.type)})` : `${resource.name}/ (${short(resource.type)})`;
    lines.push(`${"  ".repeat(depth + 1)}${label}${settings ? `  ${settings}` : ""}`);
  }
  lines.push("", `Creation waves (${plan.waves.length}; resources in one wave are created in parallel):`);
  plan.waves.forEach((wave, i) => lines.push(`  ${i + 1}. ${wave.map((u) => nameOf(plan, u)).join(", ")}`));
  lines.push("", "Destroy order:", `  ${plan.destroyOrder.map((u) => nameOf(plan, u)).join(" -> ")}`);
  lines.push("", plan.warnings.length ? "Warnings:" : "Warnings: none");
  for (const w of plan.warnings) lines.push(`  ! ${w}`);
  lines.push("", plan.violations.length ? "Policy violations:" : "Policy violations: none");
  for (const v of plan.violations) lines.push(`  ${v.enforcement === "mandatory" ? "x" : "!"} [${v.enforcement}] ${v.policy}: ${v.message}`);
  lines.push("", plan.deployability.length ? "Deployability (what Azure would refuse):" : "Deployability (what Azure would refuse): none");
  for (const f of formatFindings(plan.deployability)) lines.push(`  ${f.startsWith("[error]") ? "x" : "!"} ${f}`);
  return lines.join("\n");
}

/** A Mermaid flowchart: components as subgraphs, arrows from a resource to what needs it. */
export function renderMermaid(plan: PlanResult): string {
  const ids = new Map(plan.resources.map((r, i) => [r.urn, `r${i}`]));
  const children = new Map<string | undefined, PlannedResource[]>();
  for (const r of plan.resources) {
    const parent = r.parent && ids.has(r.parent) ? r.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const label = (r: PlannedResource) => `${r.name}<br/><small>${short(r.type)}</small>`.replace(/"/g, "'");
  const lines = ["flowchart LR"];
  const walk = (parent: string | undefined, indent: string) => {
    for (const r of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      if (r.type === "pulumi:pulumi:Stack") {
        walk(r.urn, indent);
      } else if (!r.custom) {
        lines.push(`${indent}subgraph ${ids.get(r.urn)}["${r.name}"]`);
        walk(r.urn, `${indent}  `);
        lines.push(`${indent}end`);
      } else {
        lines.push(`${indent}${ids.get(r.urn)}["${label(r)}"]`);
      }
    }
  };
  walk(undefined, "  ");
  for (const r of plan.resources.filter((x) => x.custom)) {
    for (const dep of r.dependsOn) {
      const target = plan.resources.find((x) => x.urn === dep);
      if (target?.custom) lines.push(`  ${ids.get(dep)} --> ${ids.get(r.urn)}`);
    }
  }
  return lines.join("\n");
}

export function renderMarkdown(plan: PlanResult): string {
  const custom = plan.resources.filter((r) => r.custom);
  const mandatory = plan.violations.filter((v) => v.enforcement === "mandatory").length;
  const out = [
    `## Offline plan: stack \`${plan.stack}\` (${plan.environment})`,
    "",
    `${custom.length} Azure resources, ${plan.waves.length} creation waves, ${plan.warnings.length} warnings, ${plan.violations.length} policy violations (${mandatory} mandatory), ${plan.deployability.filter((f) => f.severity === "error").length} deployability errors.`,
    "",
    "| Resource | Type | Key settings |",
    "| --- | --- | --- |",
    ...custom.map((r) => `| \`${r.name}\` | \`${short(r.type)}\` | ${keySettings(r).replace(/\|/g, "\\|") || " "} |`),
    "",
    "```mermaid",
    renderMermaid(plan),
    "```",
    "",
  ];
  if (plan.warnings.length) out.push("### Warnings", "", ...plan.warnings.map((w) => `- ${w}`), "");
  if (plan.violations.length) out.push("### Policy violations", "", ...plan.violations.map((v) => `- **${v.enforcement}** \`${v.policy}\`: ${v.message}`), "");
  if (plan.deployability.length) out.push("### Deployability (what Azure would refuse)", "", ...plan.deployability.map((f) => `- **${f.severity}** \`${f.rule}\`: ${f.message}`), "");
  return out.join("\n");
}

/** The `--json` document: the plan with stable ordering. */
export function toJson(plan: PlanResult): Record<string, unknown> {
  return {
    stack: plan.stack,
    environment: plan.environment,
    resources: plan.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent ?? null,
      custom: r.custom,
      dependsOn: r.dependsOn,
      propertyDependencies: r.propertyDependencies ?? {},
      inputs: r.inputs,
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
      deleteBeforeReplace: r.deleteBeforeReplace,
      ignoreChanges: r.ignoreChanges ?? [],
    })),
    waves: plan.waves,
    destroyOrder: plan.destroyOrder,
    outputs: plan.outputs,
    warnings: plan.warnings,
    violations: plan.violations,
    deployability: plan.deployability,
    today: plan.today,
    preview: plan.preview,
    deployer: { objectId: plan.client.deployer.objectId, principalType: plan.client.deployer.principalType, detectedFrom: plan.client.deployerDetection.reason },
  };
}
