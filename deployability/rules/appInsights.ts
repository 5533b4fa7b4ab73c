/**
 * Application Insights with local authentication off only ingests Entra-authenticated telemetry.
 *
 * Azure behaviour: "opt out of local authentication to ensure only telemetry exclusively
 * authenticated by using managed identities and Microsoft Entra ID is ingested"; each sender
 * needs "Monitoring Metrics Publisher" on the component
 * (https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication). A component
 * with `disableLocalAuth: true` and no such grant silently drops the hub's telemetry.
 */
import { known, lastSegment, ofType, T } from "../resources";
import type { Finding, PlanFacts, PlanRule } from "../types";

/** Built-in "Monitoring Metrics Publisher" (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
export const MONITORING_METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb";

export const appInsightsIngestionRule: PlanRule = {
  name: "app-insights-ingestion",
  description: "An Application Insights component with local auth off has Monitoring Metrics Publisher granted to a sender.",
  source: "https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication",
  check(plan: PlanFacts): Finding[] {
    const publishers = ofType(plan.resources, T.roleAssignment).filter((a) => String(a.inputs.roleDefinitionId ?? "").toLowerCase().endsWith(MONITORING_METRICS_PUBLISHER));
    const findings: Finding[] = [];
    for (const component of ofType(plan.resources, T.appInsights)) {
      if (component.inputs.disableLocalAuth !== true) continue;
      const name = known(component.inputs.resourceName)?.toLowerCase();
      const granted = publishers.some((p) => {
        const scope = known(p.inputs.scope);
        return (scope && name && /\/microsoft\.insights\/components\/[^/]+$/i.test(scope) && lastSegment(scope) === name) || (p.propertyDependencies?.scope ?? []).includes(component.urn);
      });
      if (!granted) {
        findings.push({
          severity: "error",
          urn: component.urn,
          resourceName: component.name,
          message: `"${component.name}" has disableLocalAuth: true but nobody is granted Monitoring Metrics Publisher on it: the hub's telemetry would be dropped. Fix: keep local auth, or grant that role to every sender.`,
        });
      }
    }
    return findings;
  },
};

