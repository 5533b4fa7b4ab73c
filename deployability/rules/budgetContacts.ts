/**
 * Budget alerts go to someone.
 *
 * Azure behaviour: a notification's contactEmails "Must have at least one contact email or
 * contact group specified at the Subscription or Resource Group scopes" (Consumption REST spec,
 * specification/consumption/resource-manager/Microsoft.Consumption/stable/2024-08-01/consumption.json,
 * Notification.contactEmails); a budget on a resource group without either is refused.
 */
import { get, ofType, T } from "../resources";
import type { Finding, PlanFacts, PlanRule } from "../types";

const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;

export const budgetContactsRule: PlanRule = {
  name: "budget-has-contacts",
  description: "Every notification of a subscription or resource-group budget has a contact e-mail or contact group.",
  source: "specification/consumption/resource-manager/Microsoft.Consumption/stable/2024-08-01/consumption.json (Notification.contactEmails)",
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    for (const budget of ofType(plan.resources, T.budget)) {
      const notifications = (budget.inputs.notifications ?? {}) as Record<string, unknown>;
      const silent = Object.entries(notifications).filter(([, n]) => !nonEmpty(get(n, "contactEmails")) && !nonEmpty(get(n, "contactGroups")));
      if (silent.length === 0) continue;
      findings.push({
        severity: "error",
        urn: budget.urn,
        resourceName: budget.name,
        message: `budget "${budget.name}": notification${silent.length === 1 ? "" : "s"} ${silent.map(([k]) => k).join(", ")} have no contact e-mail or group; Azure refuses it at resource-group scope. Fix: set llama-finetune-env:budget.contactEmails.`,
      });
    }
    return findings;
  },
};
