import { addMonths, budgetStartDate, budgetStartProblem, isCalendarDay, latestBudgetStart } from "../../config/budget";

describe("the budget's start (Azure: first of a month, not before the current period, at most twelve months ahead)", () => {
  test.each(["2026-01-15", "2026-11-26", "2027-02-28", "2027-11-30", "2028-02-29"])("a stack created on %s gets a start Azure accepts that day", (today) => {
    const start = budgetStartDate(today);
    expect(start).toBe(`${today.slice(0, 7)}-01`);
    expect(budgetStartProblem(start, today)).toBeUndefined();
  });

  test("the fixed date the stack files once committed is refused from the month after it", () => {
    expect(budgetStartProblem("2026-12-01", "2026-12-10")).toBeUndefined();
    expect(budgetStartProblem("2026-12-01", "2027-01-02")).toMatch(/2026-12-01 is before the current month \(2027-01-01\)/);
  });

  test("a configured future month is kept; a passed one means this month", () => {
    expect(budgetStartDate("2026-11-26", "2027-03-01")).toBe("2027-03-01");
    expect(budgetStartDate("2026-11-26", "2026-01-01")).toBe("2026-11-01");
  });

  test("twelve months ahead is the limit, across year ends", () => {
    expect(latestBudgetStart("2026-11-26")).toBe("2027-11-01");
    expect(addMonths("2026-12-31", 1)).toBe("2027-01-01");
    expect(budgetStartProblem("2027-12-01", "2026-11-26")).toMatch(/more than twelve months ahead/);
    expect(budgetStartProblem("2026-11-15", "2026-11-26")).toMatch(/not the first day of a month/);
  });

  test("each refusal says why, with the dates Azure would accept; a full ISO timestamp (as ARM returns it) is judged by its day", () => {
    expect(budgetStartProblem("2026-11-15", "2026-11-26")).toBe('"2026-11-15" is not the first day of a month');
    expect(budgetStartProblem("2026-02-30", "2026-01-26")).toBe('"2026-02-30" is not the first day of a month');
    expect(budgetStartProblem("2026-10-01", "2026-11-26")).toBe("2026-10-01 is before the current month (2026-11-01); Azure accepts a past start only within the current period");
    expect(budgetStartProblem("2027-12-01", "2026-11-26")).toBe("2027-12-01 is more than twelve months ahead of 2026-11-26 (latest: 2027-11-01)");
    expect(budgetStartProblem("2027-11-01", "2026-11-26")).toBeUndefined();
    expect(budgetStartProblem("2026-11-01T00:00:00Z", "2026-11-26")).toBeUndefined();
    expect(budgetStartProblem("2026-10-01T00:00:00Z", "2026-11-26")).toBe("2026-10-01 is before the current month (2026-11-01); Azure accepts a past start only within the current period");
  });

  test("months are added across year ends and month lengths, from the first of the month", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-01");
    expect(addMonths("2026-11-26", 12)).toBe("2027-11-01");
    expect(addMonths("2026-03-15", -3)).toBe("2025-12-01");
  });

  test("real calendar days only", () => {
    expect(isCalendarDay("2028-02-29")).toBe(true);
    expect(isCalendarDay("2027-02-29")).toBe(false);
    expect(isCalendarDay("2026-13-01")).toBe(false);
    expect(isCalendarDay("26-1-1")).toBe(false);
  });
});
