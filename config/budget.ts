/**
 * The budget's start date, from the day the stack runs.
 *
 * Azure's rule for a Cost budget's start (Consumption REST spec, stable/2024-08-01,
 * BudgetTimePeriod.startDate): "Must be first of the month and should be less than the end
 * date. Budget start date must be on or after June 1, 2017. Future start date should not be
 * more than twelve months. Past start date should be selected within the timegrain period."
 * The first day of the current month satisfies every time grain; a later month may be asked
 * for (`budget.startDate`), at most twelve months ahead.
 *
 * Pure: `today` is passed in (YYYY-MM-DD, UTC), so tests can plan on any day.
 */

/** YYYY-MM-DD of a Date, in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** True for a real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && isoDay(parsed) === value;
}

/** First day of the month of `day` (YYYY-MM-DD). */
export function firstOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The first of the month `months` after the month of `day`. */
export function addMonths(day: string, months: number): string {
  const date = new Date(`${firstOfMonth(day)}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return isoDay(date);
}

/** The latest start Azure accepts on `today`: twelve months ahead. */
export function latestBudgetStart(today: string): string {
  return addMonths(today, 12);
}

/**
 * The start the budget is created with: the configured month if it is still ahead, else the
 * current month (a configured month that has passed means "now"; an existing budget keeps the
 * start it was created with, see components/costControls.ts).
 */
export function budgetStartDate(today: string, configured?: string): string {
  const current = firstOfMonth(today);
  return configured !== undefined && configured > current ? configured : current;
}

/** Why `start` is not a start Azure accepts on `today`, or undefined when it is. */
export function budgetStartProblem(start: string, today: string): string | undefined {
  const day = start.slice(0, 10);
  if (!isCalendarDay(day) || !day.endsWith("-01")) return `${JSON.stringify(start)} is not the first day of a month`;
  if (day < firstOfMonth(today)) return `${day} is before the current month (${firstOfMonth(today)}); Azure accepts a past start only within the current period`;
  if (day > latestBudgetStart(today)) return `${day} is more than twelve months ahead of ${today} (latest: ${latestBudgetStart(today)})`;
  return undefined;
}
