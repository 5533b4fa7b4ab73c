/**
 * A budget on the stack's resource group, with one e-mail alert per threshold.
 *
 * Budgets only alert; they never stop spending. Serverless fine-tuning and endpoints bill
 * per token, so an alert at 50/80/100 % of a monthly amount is what catches a runaway job.
 *
 * Start date: Azure wants the first of a month, "Future start date should not be more than
 * twelve months. Past start date should be selected within the timegrain period" (Consumption
 * REST spec, stable/2024-08-01, BudgetTimePeriod.startDate; the same text is in
 * @pulumi/azure-native's types/input.d.ts), and an existing budget's start "cannot be updated"
 * (400 "Start date of budgets cannot be updated. Please delete and create a new budget.",
 * https://github.com/Azure/CanadaPubSecALZ/issues/317, https://github.com/Azure/azure-quickstart-templates/issues/7095).
 * So the stack computes the start from the day it runs (see config/budget.ts) and the budget
 * ignores later changes of it: a stack created in any month gets a valid start, and the next
 * month's `up` neither shows a diff nor sends a new start (Pulumi sends the recorded one).
 *
 * Contacts: "Must have at least one contact email or contact group specified at the
 * Subscription or Resource Group scopes" (same spec, Notification.contactEmails): the schema
 * requires at least one e-mail.
 */
import * as pulumi from "@pulumi/pulumi";
import * as consumption from "@pulumi/azure-native/consumption";
import type * as inputs from "@pulumi/azure-native/types/input";
import { typeToken } from "./common";

export interface BudgetSpec {
  amount: number;
  timeGrain: "Monthly" | "Quarterly" | "Annually";
  /** First day of a month, YYYY-MM-01, valid on the day the stack runs (config/budget.ts). */
  startDate: string;
  /** Percentages of the amount at which to alert. */
  thresholds: readonly number[];
  contactEmails: readonly string[];
}

export interface CostControlsArgs {
  budgetName: string;
  /** Resource id of the resource group the budget watches. */
  scope: pulumi.Input<string>;
  budget: BudgetSpec;
  /**
   * What the budget must wait for (the Microsoft.Consumption registration). Passed to the
   * budget itself: `dependsOn` on a component does not reach the resources inside it.
   */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Notification key per threshold, e.g. `actual_GreaterThan_80_Percent` (Azure wants unique keys). */
export function budgetNotifications(budget: BudgetSpec): Record<string, inputs.consumption.NotificationArgs> {
  const notifications: Record<string, inputs.consumption.NotificationArgs> = {};
  for (const threshold of [...budget.thresholds].sort((a, b) => a - b)) {
    notifications[`actual_GreaterThan_${String(threshold).replace(".", "_")}_Percent`] = {
      enabled: true,
      operator: "GreaterThan",
      threshold,
      thresholdType: "Actual",
      contactEmails: [...budget.contactEmails],
    };
  }
  return notifications;
}

export class CostControls extends pulumi.ComponentResource {
  readonly budget: consumption.Budget;

  constructor(name: string, args: CostControlsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("cost", "CostControls"), name, {}, opts);
    this.budget = new consumption.Budget(
      `${name}-budget`,
      {
        budgetName: args.budgetName,
        scope: args.scope,
        amount: args.budget.amount,
        category: "Cost",
        timeGrain: args.budget.timeGrain,
        timePeriod: { startDate: `${args.budget.startDate}T00:00:00Z` },
        notifications: budgetNotifications(args.budget),
      },
      { parent: this, dependsOn: args.dependsOn, ignoreChanges: ["timePeriod.startDate"] },
    );
    this.registerOutputs({ budgetName: this.budget.name });
  }
}
