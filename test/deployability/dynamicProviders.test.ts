/**
 * Dynamic providers receive unknown inputs in `pulumi preview` (as rpc.unknownValue) and must
 * accept them. The rule runs a provider's check and diff the way the engine would.
 */
import { checkDynamicResource, dynamicProvidersRule, previewInputs, UNKNOWN_SENTINEL } from "../../deployability/rules/dynamicProviders";
import { T } from "../../deployability/resources";
import { facts, res } from "./fixtures";

const blob = res(
  T.blobUpload,
  "llama-data-training-blob",
  { accountName: "[unknown until deployed]", containerName: "training-data", blobName: "training/abc/training.jsonl", filePath: "examples/data/train.jsonl", sha256: "a".repeat(64), contentType: "application/jsonl" },
  { propertyDependencies: { containerName: ["urn:pulumi:dev::p::azure-native:storage:BlobContainer::c"] } },
);

describe("previewInputs", () => {
  test("recorded unknowns and inputs that come from other resources become the engine's unknown sentinel", () => {
    const { news, unknown } = previewInputs(blob);
    expect(news.accountName).toBe(UNKNOWN_SENTINEL);
    expect(news.containerName).toBe(UNKNOWN_SENTINEL);
    expect(news.blobName).toBe("training/abc/training.jsonl");
    expect(unknown.sort()).toEqual(["accountName", "containerName"]);
  });
});

describe("checkDynamicResource", () => {
  test("a provider whose check validates an unknown as a real value is reported (every fresh preview would fail)", async () => {
    const strict = { check: async (_o: unknown, news: Record<string, unknown>) => ({ inputs: news, failures: /^[a-z0-9]{3,24}$/.test(String(news.accountName)) ? [] : [{ property: "accountName", reason: "not a storage account name" }] }) };
    const findings = await checkDynamicResource(blob, strict as never);
    expect(findings).toEqual([expect.objectContaining({ severity: "error", message: expect.stringContaining('refuses the unknown value of "accountName"') })]);
  });

  test("a provider that accepts unknowns passes; one whose diff throws on them is reported", async () => {
    const lenient = { check: async (_o: unknown, news: Record<string, unknown>) => ({ inputs: news, failures: [] }), diff: async () => ({ changes: true }) };
    expect(await checkDynamicResource(blob, lenient as never)).toEqual([]);
    const throwing = {
      ...lenient,
      diff: async (_id: string, _o: unknown, news: Record<string, unknown>) => {
        if (news.accountName === UNKNOWN_SENTINEL) throw new Error("cannot build a URL from an unknown account");
        return { changes: false };
      },
    };
    expect(await checkDynamicResource(blob, throwing as never)).toEqual([expect.objectContaining({ message: expect.stringContaining("diff throws when accountName, containerName are unknown") })]);
  });
});

describe("the repo's dynamic providers (arm/) with the unknowns of a fresh stack's preview", () => {
  // Depends on helper H3's rewrite of arm/ (check/diff accepting unknowns); fails until it lands.
  test("BlobUpload and ProviderRegistration accept unknown account, container and subscription", async () => {
    const registration = res(T.providerRegistration, "llama-providers-microsoft-storage", { namespace: "Microsoft.Storage", subscriptionId: "[unknown until deployed]", maxWaitSeconds: 600 });
    const findings = await dynamicProvidersRule.check(facts([blob, registration]));
    expect(findings).toEqual([]);
  });
});
