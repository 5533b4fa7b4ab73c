/**
 * The storage preflight of restricted and private stacks (stack/networkPreflight.ts) against the
 * local HTTPS Blob service stand-in (test/arm/fakeBlob.ts), which answers a firewall refusal as
 * Storage does (403 AuthorizationFailure): refused with the mode and what to add, before anything
 * is declared; passed when reachable; skipped when public, when asked to, and for an account not
 * created yet (its name does not resolve).
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import type { TokenCredential } from "@azure/identity";
import { resolveNetwork } from "../../config/network";
import { parseStackConfig } from "../../config/schema";
import { checkDeployerReachesStorage, NetworkPreflightError, preflightStack, SKIP_PREFLIGHT_VARIABLE } from "../../stack/networkPreflight";
import { fakeCredential } from "../arm/fakeArm";
import { startFakeBlob, storageError, type FakeBlob } from "../arm/fakeBlob";

const restricted = resolveNetwork({ mode: "restricted", allowedIpRanges: ["203.0.113.0/24"], deployer: { via: "allow-list", ipRanges: ["203.0.113.9"] } }, "public");
const privateNet = resolveNetwork({ mode: "private", deployer: { via: "inside-network" } }, "public");

let blob: FakeBlob;
beforeEach(async () => {
  blob = await startFakeBlob();
});
afterEach(() => blob.close());

const check = (network = restricted, extra: object = {}) =>
  checkDeployerReachesStorage({ network, accountName: "llftstprodabc123", containerName: "training-data", credential: fakeCredential, env: {}, endpoint: blob.endpoint, trustedCaPem: blob.caPem, ...extra });

test("restricted: the firewall's 403 is refused before anything changes, naming the mode and what to add", async () => {
  blob.always = storageError(403, "AuthorizationFailure");
  const error = await check().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NetworkPreflightError);
  const message = (error as Error).message;
  expect(message).toMatch(/^Network mode "restricted": this machine cannot reach storage account llftstprodabc123, where pulumi up uploads the training data\. /);
  expect(message).toContain("403 AuthorizationFailure");
  expect(message).toContain("Add this machine's public egress IP to network.allowedIpRanges and network.deployer.ipRanges");
  expect(message).toContain("(now: 203.0.113.0/24)");
  expect(message).toMatch(/Nothing was created or changed/);
  expect(blob.requests).toHaveLength(1);
  expect(blob.requests[0]).toMatchObject({ op: "GetContainerProperties", path: "/training-data" });
});

test("private: no route to the endpoint is refused, saying to run inside the network", async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  const error = await check(privateNet, { endpoint: `https://127.0.0.1:${port}` }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NetworkPreflightError);
  expect((error as Error).message).toMatch(/^Network mode "private": .*No connection to .*ECONNREFUSED.* In mode "private" the account has no public endpoint\. Run pulumi up inside the network/);
});

test("reachable (container present or not yet created) passes; a missing role is not a network problem", async () => {
  await expect(check()).resolves.toMatchObject({ outcome: "reachable" });
  blob.missingContainers.add("training-data");
  await expect(check(privateNet)).resolves.toMatchObject({ outcome: "reachable" });
  blob.always = storageError(403, "AuthorizationPermissionMismatch");
  await expect(check()).resolves.toMatchObject({ outcome: "reachable" });
});

test("an account that does not resolve is one not created yet: the first up goes on", async () => {
  await expect(check(restricted, { endpoint: "https://llftstprodabc123.blob.core.windows.invalid", timeoutMs: 10_000 })).resolves.toMatchObject({ outcome: "not-created" });
});

test("public stacks and the skip variable send nothing", async () => {
  await expect(check({ mode: "public" })).resolves.toMatchObject({ outcome: "skipped" });
  await expect(check(privateNet, { env: { [SKIP_PREFLIGHT_VARIABLE]: "1" } })).resolves.toMatchObject({ outcome: "skipped", detail: `${SKIP_PREFLIGHT_VARIABLE}=1` });
  expect(blob.requests).toHaveLength(0);
});

test("a credential that gives no token is a credential problem, not a network one", async () => {
  const failing: TokenCredential = { getToken: () => Promise.reject(new Error("az: not logged in")) };
  const error = await check(privateNet, { credential: failing }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NetworkPreflightError);
  expect((error as Error).message).toMatch(/^Network mode "private": could not get an Entra ID token for storage .*az: not logged in\. Fix the Azure credentials/);
  expect(blob.requests).toHaveLength(0);
});

test("index.ts's entry point derives the stack's account and skips public stacks", async () => {
  const config = parseStackConfig(
    { environment: "dev", location: "westus3", costCenter: "c", budget: { amount: 1, contactEmails: ["a@example.com"] }, data: { trainingFile: "x.jsonl" } },
    "Pulumi.dev.yaml",
  );
  const context = { config, project: "llama-finetune-env", stack: "dev", subscriptionId: "0b1f6471-1bf0-4dda-aec3-111122223333", allConfig: {}, env: {} };
  await expect(preflightStack(context)).resolves.toEqual({ outcome: "skipped", detail: 'network mode "public": nothing restricts the deployer' });
  await expect(preflightStack({ ...context, config: { ...config, network: privateNet }, env: { [SKIP_PREFLIGHT_VARIABLE]: "1" } })).resolves.toMatchObject({ outcome: "skipped" });
});
