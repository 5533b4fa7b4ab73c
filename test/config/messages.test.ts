/**
 * ConfigError's message stays readable whatever the stack file holds (config/messages.ts): every
 * problem is kept in `problems`, but the message spells out at most 50, each cut to 500
 * characters, and says how many more there are.
 */
import { ConfigError } from "../../config/schema";
import { MINIMAL_CONFIG, refusalOf } from "./fixtures";

function messageOf(problems: readonly string[]): string {
  return new ConfigError("Pulumi.x.yaml", problems).message;
}

describe("ConfigError's message is bounded", () => {
  test("120 misspelt keys: all 120 kept, 50 listed, then how many more", () => {
    const raw: Record<string, unknown> = { ...MINIMAL_CONFIG };
    for (let i = 0; i < 120; i++) raw[`typo${i}`] = i;
    const problems = refusalOf(raw);
    expect(problems).toHaveLength(120);
    const lines = messageOf(problems).split("\n");
    expect(lines[0]).toBe("Invalid stack configuration in Pulumi.x.yaml (120 problems):");
    expect(lines).toHaveLength(1 + 50 + 1);
    expect(lines[1]).toBe(`  - ${problems[0]}`);
    expect(lines[50]).toBe(`  - ${problems[49]}`);
    expect(lines[51]).toBe("  … and 70 more problems (fix these first, then run again)");
  });

  test("51 problems say '1 more problem'; 50 list every one with no tail", () => {
    const many = Array.from({ length: 51 }, (_, i) => `problem ${i}`);
    expect(messageOf(many).split("\n").at(-1)).toBe("  … and 1 more problem (fix these first, then run again)");
    const fifty = messageOf(many.slice(0, 50)).split("\n");
    expect(fifty).toHaveLength(51);
    expect(fifty.at(-1)).toBe("  - problem 49");
  });

  test("a problem over 500 characters is cut, with its length; one of 500 is whole", () => {
    const long = `k: ${"x".repeat(1_000_000)}`;
    const exact = "y".repeat(500);
    const lines = messageOf([long, exact]).split("\n");
    expect(lines[1]).toBe(`  - ${long.slice(0, 500)}… (1000003 characters)`);
    expect(lines[2]).toBe(`  - ${exact}`);
    expect(messageOf([long]).length).toBeLessThan(700);
  });
});
