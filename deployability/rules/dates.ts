/**
 * Dates in the plan are valid on the day it runs.
 *
 * Azure behaviour: a Cost budget's start "must be first of the month ... Future start date
 * should not be more than twelve months. Past start date should be selected within the
 * timegrain period" (Consumption REST spec, specification/consumption/resource-manager/
 * Microsoft.Consumption/stable/2024-08-01/consumption.json, BudgetTimePeriod.startDate); a
 * budget created with a fixed date is refused from the month after it. And an `expires-on` tag
 * in the past makes the scheduled clean-up destroy a stack the day it is created.
 */
import { budgetStartProblem, isCalendarDay } from "../../config/budget";
import { get, known, ofType, T } from "../resources";
import type { Finding, PlanFacts, PlanRule } from "../types";

export const datesRule: PlanRule = {
  name: "dates-valid-today",
  description: "Budget starts are the first of a month in the current month or at most twelve months ahead; expires-on tags are real dates, not past.",
  source: "specification/consumption/resource-manager/Microsoft.Consumption/stable/2024-08-01/consumption.json (BudgetTimePeriod.startDate)",
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    for (const budget of ofType(plan.resources, T.budget)) {
      const start = known(get(budget.inputs, "timePeriod.startDate"));
      if (!start) continue;
      const problem = budgetStartProblem(start, plan.today);
      if (problem) findings.push({ severity: "error", urn: budget.urn, resourceName: budget.name, message: `budget "${budget.name}": start ${problem}; Azure refuses it. Fix: derive the start from the day the stack runs (config/budget.ts).` });
    }
    for (const r of plan.resources.filter((x) => x.custom)) {
      const expires = known(get(r.inputs, "tags.expires-on"));
      if (!expires) continue;
      if (!isCalendarDay(expires)) findings.push({ severity: "error", urn: r.urn, resourceName: r.name, message: `"${r.name}" has tag expires-on ${JSON.stringify(expires)}, which is not a date (YYYY-MM-DD).` });
      else if (expires < plan.today) findings.push({ severity: "error", urn: r.urn, resourceName: r.name, message: `"${r.name}" has tag expires-on ${expires}, before today (${plan.today}): the scheduled clean-up would destroy it at once. Fix: a later expiresOn.` });
    }
    return findings;
  },
};
