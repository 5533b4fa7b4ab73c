import { budgetContacts, budgetRule } from "../../policy/rules/budget";
import type { StackResource } from "../../policy/rules";
import { budgetProps, resource, storageProps, urnOf } from "./fixtures";

const BUDGET = "azure-native:consumption:Budget";
const inStack = (props: Record<string, unknown>): StackResource[] => [
  { ...resource("azure-native:storage:StorageAccount", "storage", storageProps("dev"), { stack: "dev" }), dependsOn: [] },
  { ...resource(BUDGET, "budget", props, { stack: "dev" }), dependsOn: [] },
];

describe("stack-has-budget-with-contact", () => {
  it("passes a stack with a budget that e-mails someone", () => {
    expect(budgetRule.check(inStack(budgetProps()))).toEqual([]);
  });

  it("counts contact roles and action groups as contacts", () => {
    const props = { ...budgetProps([]), notifications: { a: { enabled: true, threshold: 90, contactEmails: [], contactRoles: ["Owner"] } } };
    expect(budgetContacts(props)).toEqual(["Owner"]);
    expect(budgetRule.check(inStack(props))).toEqual([]);
  });

  it("refuses a stack without a budget, at stack level, pointing at the budget config", () => {
    const resources = inStack(budgetProps()).filter((r) => r.type !== BUDGET);
    const [finding, ...rest] = budgetRule.check(resources);
    expect(rest).toEqual([]);
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.urn).toBeUndefined();
    expect(finding.message).toContain('Stack "dev" has no budget (azure-native:consumption:Budget)');
    expect(finding.message).toContain("set `llama-finetune-env:budget` with amount and contactEmails in Pulumi.dev.yaml (the budget starts in the month the stack is created)");
  });

  it("refuses a budget whose notifications reach nobody (empty or disabled)", () => {
    const disabled = { ...budgetProps(), notifications: { a: { enabled: false, threshold: 80, contactEmails: ["x@example.com"] } } };
    for (const props of [budgetProps([]), disabled, { ...budgetProps(), notifications: undefined }]) {
      const [finding, ...rest] = budgetRule.check(inStack(props));
      expect(rest).toEqual([]);
      expect(finding.enforcement).toBe("mandatory");
      expect(finding.urn).toBe(urnOf("dev", BUDGET, "budget"));
      expect(finding.message).toContain('Budget "budget" has no enabled notification with a contact');
      expect(finding.message).toContain("add an address to `llama-finetune-env:budget.contactEmails` in Pulumi.dev.yaml");
    }
  });

  it("refuses an empty stack without naming a stack it cannot know", () => {
    expect(budgetRule.check([])).toEqual([
      {
        enforcement: "mandatory",
        message:
          "Stack has no budget (azure-native:consumption:Budget); nobody would be told when spending runs away. " +
          "Fix: set `llama-finetune-env:budget` with amount and contactEmails in Pulumi.<stack>.yaml (the budget starts in the month the stack is created).",
      },
    ]);
  });

  it("counts only contacts with content, and only in enabled notifications", () => {
    const props = {
      notifications: {
        blank: { enabled: true, contactEmails: ["", "  "], contactRoles: [5], contactGroups: "not-a-list" },
        off: { enabled: false, contactEmails: ["off@example.com"] },
        unsaid: { contactGroups: ["/subscriptions/s/resourceGroups/rg/providers/microsoft.insights/actionGroups/ops"] },
        broken: "x",
      },
    };
    expect(budgetContacts(props)).toEqual(["/subscriptions/s/resourceGroups/rg/providers/microsoft.insights/actionGroups/ops"]);
    expect(budgetContacts({ notifications: ["a@example.com"] })).toEqual([]);
  });

  it("refuses an amount given as text", () => {
    const [finding] = budgetRule.check(inStack({ ...budgetProps(), amount: "500" }));
    expect(finding.message).toBe('Budget "budget" has amount "500"; it must be a number greater than 0. Fix: set `llama-finetune-env:budget.amount` in Pulumi.dev.yaml.');
  });

  it("refuses a budget without a positive amount", () => {
    const [finding] = budgetRule.check(inStack({ ...budgetProps(), amount: 0 }));
    expect(finding.message).toContain('Budget "budget" has amount 0; it must be a number greater than 0');
  });
});
