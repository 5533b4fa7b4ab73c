/**
 * A budget on the stack's resource group, with one e-mail alert per threshold.
 *
 * Budgets only alert; they never stop spending. Serverless fine-tuning and endpoints bill
 * per token, so an alert at 50/80/100 % of a monthly amount is what catches a runaway job.
 */
import * as pulumi from "@pulumi/pulumi";
import * as consumption from "@pulumi/azure-native/consumption";
import type * as inputs from "@pulumi/azure-native/types/input";
import { typeToken } from "./common";

export interface BudgetSpec {
  amount: number;
  timeGrain: "Monthly" | "Quarterly" | "Annually";
  /** First day of a month, YYYY-MM-01. */
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
      { parent: this },
    );
    this.registerOutputs({ budgetName: this.budget.name });
  }
}
