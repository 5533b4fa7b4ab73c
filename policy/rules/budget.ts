/**
 * Cost: every stack declares an Azure budget, and each budget notifies at least one person,
 * group or role. A budget nobody hears from is only a number in the portal; fine-tuning and
 * serverless endpoints bill per token and per hour, so overruns must reach someone.
 */
import { configKey, stackFile, stackOfUrn } from "./environment";
import { T, type Finding, type StackResource, type StackRule } from "./types";
import { isRecord, nonEmptyStrings, show } from "./values";

/** Everyone an enabled notification of the budget reaches (e-mails, roles, action groups). */
export function budgetContacts(props: Readonly<Record<string, unknown>>): string[] {
  const notifications = props.notifications;
  if (!isRecord(notifications)) return [];
  const contacts: string[] = [];
  for (const notification of Object.values(notifications)) {
    // A disabled notification reaches nobody.
    if (!isRecord(notification) || notification.enabled === false) continue;
    contacts.push(...nonEmptyStrings(notification.contactEmails), ...nonEmptyStrings(notification.contactRoles), ...nonEmptyStrings(notification.contactGroups));
  }
  return contacts;
}

export const budgetRule: StackRule = {
  kind: "stack",
  name: "stack-has-budget-with-contact",
  description: "The stack has a consumption budget with a positive amount, and every budget notifies at least one contact.",
  levels: ["mandatory"],
  check(resources: readonly StackResource[]): Finding[] {
    const budgets = resources.filter((r) => r.type === T.budget);
    const anyUrn = resources[0]?.urn;
    const file = stackFile(anyUrn);
    if (budgets.length === 0) {
      const stack = anyUrn === undefined ? undefined : stackOfUrn(anyUrn);
      return [
        {
          enforcement: "mandatory",
          message:
            `Stack${stack ? ` "${stack}"` : ""} has no budget (${T.budget}); nobody would be told when spending runs away. ` +
            `Fix: set \`${configKey("budget")}\` with amount and contactEmails in ${file} (the budget starts in the month the stack is created).`,
        },
      ];
    }
    const findings: Finding[] = [];
    for (const budget of budgets) {
      const where = { urn: budget.urn, resourceName: budget.name };
      const amount = budget.props.amount;
      if (!(typeof amount === "number" && amount > 0)) {
        findings.push({
          ...where,
          enforcement: "mandatory",
          message: `Budget "${budget.name}" has amount ${show(amount)}; it must be a number greater than 0. Fix: set \`${configKey("budget")}.amount\` in ${file}.`,
        });
      }
      if (budgetContacts(budget.props).length === 0) {
        findings.push({
          ...where,
          enforcement: "mandatory",
          message:
            `Budget "${budget.name}" has no enabled notification with a contact (contactEmails, contactRoles or contactGroups), so an overrun would reach nobody. ` +
            `Fix: add an address to \`${configKey("budget")}.contactEmails\` in ${file}.`,
        });
      }
    }
    return findings;
  },
};
