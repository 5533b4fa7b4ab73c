/**
 * The dynamic provider's create/read/update/delete, driven against a local HTTPS server that
 * answers like ARM, through the real @azure/arm-resources client. Only the token credential
 * and the clock are stand-ins.
 */
import { createProvidersClient } from "../../arm/client";
import { ProviderRegistrationPermissionError, ProviderRegistrationTimeoutError } from "../../arm/errors";
import { makeProviderRegistrationProvider } from "../../arm/providerRegistrationResource";
import type { ProviderRegistrationInputs, ProviderRegistrationOutputs, RegistrationRuntime } from "../../arm/providerRegistrationResource";
import type { AzureSettings } from "../../arm/azureSettings";
import { UNKNOWN } from "../../arm/unknowns";
import { armError, FAKE_TOKEN, fakeClock, fakeCredential, providerBody, startFakeArm } from "./fakeArm";
import type { FakeArm } from "./fakeArm";

const SUB = "11111111-2222-3333-4444-555555555555";
let arm: FakeArm;
let clock: ReturnType<typeof fakeClock>;

beforeEach(async () => {
  arm = await startFakeArm();
  clock = fakeClock();
});
afterEach(() => arm.close());

function provider() {
  const runtime: RegistrationRuntime = {
    createApi: (subscriptionId, endpoint) => createProvidersClient({ subscriptionId, credential: fakeCredential, endpoint: endpoint!, trustedCaPem: arm.caPem }),
    sleep: clock.sleep,
    now: clock.now,
  };
  return makeProviderRegistrationProvider(runtime);
}

function inputs(namespace: string, maxWaitSeconds = 600): ProviderRegistrationInputs {
  return { namespace, subscriptionId: SUB, maxWaitSeconds, endpoint: arm.endpoint };
}

const ok = (ns: string, state: string) => ({ status: 200, body: providerBody(SUB, ns, state) });
const calls = () => arm.requests.map((r) => `${r.method} ${r.path}`);

describe("create", () => {
  test("an already Registered namespace: one GET, no POST, returns at once", async () => {
    arm.script["Microsoft.Network"] = { get: [ok("Microsoft.Network", "Registered")] };
    const result = await provider().create(inputs("Microsoft.Network"));
    expect(result.id).toBe(`/subscriptions/${SUB}/providers/Microsoft.Network`);
    expect(result.outs).toMatchObject({ namespace: "Microsoft.Network", subscriptionId: SUB, registrationState: "Registered" });
    expect(calls()).toEqual([`GET /subscriptions/${SUB}/providers/Microsoft.Network`]);
    expect(arm.requests[0]!.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(arm.requests[0]!.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
    expect(clock.sleeps).toEqual([]);
  });

  test("NotRegistered: registers, then polls with exponential back-off while ARM says Registering", async () => {
    const ns = "Microsoft.MachineLearningServices";
    arm.script[ns] = {
      get: [ok(ns, "NotRegistered"), ok(ns, "Registering"), ok(ns, "Registering"), ok(ns, "Registered")],
      register: [ok(ns, "Registering")],
    };
    const result = await provider().create(inputs(ns));
    expect(result.outs?.registrationState).toBe("Registered");
    const base = `/subscriptions/${SUB}/providers/${ns}`;
    expect(calls()).toEqual([`GET ${base}`, `POST ${base}/register`, `GET ${base}`, `GET ${base}`, `GET ${base}`]);
    expect(clock.sleeps).toEqual([2000, 4000, 8000]);
  });

  test("accepts ARM answering the namespace in lower case (as it does for microsoft.insights)", async () => {
    arm.script["Microsoft.Insights"] = { get: [ok("microsoft.insights", "Registered")] };
    const result = await provider().create(inputs("Microsoft.Insights"));
    expect(result.outs).toMatchObject({ namespace: "Microsoft.Insights", registrationState: "Registered" });
  });

  test("honours Retry-After on 429 before registering again", async () => {
    arm.script["Microsoft.Storage"] = {
      get: [ok("Microsoft.Storage", "NotRegistered")],
      register: [armError(429, "TooManyRequests", "Slow down", { "Retry-After": "7" }), ok("Microsoft.Storage", "Registered")],
    };
    const result = await provider().create(inputs("Microsoft.Storage"));
    expect(result.outs?.registrationState).toBe("Registered");
    const base = `/subscriptions/${SUB}/providers/Microsoft.Storage`;
    expect(calls()).toEqual([`GET ${base}`, `POST ${base}/register`, `POST ${base}/register`]);
    expect(clock.sleeps).toEqual([7000]);
  });

  test("on 403 names the missing register/action permission and the fix", async () => {
    arm.script["Microsoft.SaaS"] = {
      get: [ok("Microsoft.SaaS", "NotRegistered")],
      // ARM's real message also quotes the action; this one deliberately does not, so the test
      // proves the error names it on its own.
      register: [armError(403, "AuthorizationFailed", "The client does not have authorization to perform this action.")],
    };
    const err = await provider().create(inputs("Microsoft.SaaS")).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderRegistrationPermissionError);
    const message = (err as Error).message;
    expect(message).toContain("'Microsoft.SaaS/register/action'");
    expect(message).toContain("Contributor");
    expect(message).toContain(`/subscriptions/${SUB}`);
    expect(message).toContain("The client does not have authorization");
    expect(calls()).toHaveLength(2);
  });

  test("gives up at the bound with an error naming the namespace and its state", async () => {
    arm.script["Microsoft.KeyVault"] = { get: [ok("Microsoft.KeyVault", "Registering")] };
    const err = await provider().create(inputs("Microsoft.KeyVault", 30)).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderRegistrationTimeoutError);
    expect((err as Error).message).toMatch(/Microsoft\.KeyVault.*'Registering'/);
    expect((err as Error).message).toContain("30s");
    // 2 + 4 + 8 s, then the last 16 s step is clipped to what is left of the 30 s.
    expect(clock.sleeps).toEqual([2000, 4000, 8000, 16000]);
    // The first GET found it Registering (someone else's registration): no POST, 4 more GETs.
    expect(calls().filter((c) => c.startsWith("GET"))).toHaveLength(5);
    expect(calls().some((c) => c.startsWith("POST"))).toBe(false);
  });

  test("an unknown namespace fails with ARM's code and a hint", async () => {
    const err = await provider().create(inputs("Microsoft.Nope")).then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).toMatch(/Reading resource provider Microsoft\.Nope failed with HTTP 404 \(InvalidResourceNamespace\).*spelling/);
  });
});

describe("read, diff, update", () => {
  const olds = (state: string): ProviderRegistrationOutputs => ({ ...inputs("Microsoft.Network"), registrationState: state });

  test("read returns the live state with one GET and never registers", async () => {
    arm.script["Microsoft.Network"] = { get: [ok("Microsoft.Network", "NotRegistered")] };
    const id = `/subscriptions/${SUB}/providers/Microsoft.Network`;
    const result = await provider().read!(id, olds("Registered"));
    expect(result).toEqual({ id, props: olds("NotRegistered") });
    expect(calls()).toEqual([`GET ${id}`]);
  });

  test("read works from the id alone (pulumi import)", async () => {
    // Without props there is no endpoint input, so aim the runtime itself at the fake server.
    const runtime: RegistrationRuntime = { createApi: (s) => createProvidersClient({ subscriptionId: s, credential: fakeCredential, endpoint: arm.endpoint, trustedCaPem: arm.caPem }) };
    arm.script["Microsoft.Consumption"] = { get: [ok("Microsoft.Consumption", "Registered")] };
    const result = await makeProviderRegistrationProvider(runtime).read!(`/subscriptions/${SUB}/providers/Microsoft.Consumption`);
    expect(result.props).toMatchObject({ namespace: "Microsoft.Consumption", subscriptionId: SUB, registrationState: "Registered", maxWaitSeconds: 600 });
  });

  test("diff replaces on a new namespace, not on a new wait bound", async () => {
    const p = provider();
    expect(await p.diff!("id", olds("Registered"), inputs("Microsoft.Storage"))).toEqual({ changes: true, replaces: ["namespace"], deleteBeforeReplace: false });
    expect(await p.diff!("id", olds("Registered"), inputs("Microsoft.Network", 60))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await p.diff!("id", olds("Registered"), inputs("Microsoft.Network"))).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // A refresh that found it unregistered makes the next `up` register it again.
    expect(await p.diff!("id", olds("NotRegistered"), inputs("Microsoft.Network"))).toMatchObject({ changes: true, replaces: [] });
    expect(arm.requests).toEqual([]);
  });

  test("update is a no-op when already registered, and re-registers otherwise", async () => {
    const p = provider();
    const same = await p.update!("id", olds("Registered"), inputs("Microsoft.Network", 60));
    expect(same.outs).toEqual({ ...inputs("Microsoft.Network", 60), registrationState: "Registered" });
    expect(arm.requests).toEqual([]);

    arm.script["Microsoft.Network"] = { get: [ok("Microsoft.Network", "NotRegistered"), ok("Microsoft.Network", "Registered")], register: [ok("Microsoft.Network", "Registering")] };
    const again = await p.update!("id", olds("NotRegistered"), inputs("Microsoft.Network"));
    expect(again.outs!.registrationState).toBe("Registered");
    const base = `/subscriptions/${SUB}/providers/Microsoft.Network`;
    expect(calls()).toEqual([`GET ${base}`, `POST ${base}/register`, `GET ${base}`]);
  });
});

describe("delete", () => {
  test("never unregisters: makes no request at all", async () => {
    arm.script["Microsoft.Network"] = { register: [ok("Microsoft.Network", "Registered")], get: [ok("Microsoft.Network", "Registered")] };
    const p = provider();
    await p.delete!(`/subscriptions/${SUB}/providers/Microsoft.Network`, { ...inputs("Microsoft.Network"), registrationState: "Registered" });
    // Give any stray request time to arrive before asserting there was none.
    await new Promise((r) => setTimeout(r, 100));
    expect(arm.requests).toEqual([]);
  });
});

describe("check", () => {
  test("rejects a malformed namespace, subscription id and wait bound before any ARM call", async () => {
    const result = await provider().check!({} as ProviderRegistrationInputs, { namespace: "Network", subscriptionId: "nope", maxWaitSeconds: 0 });
    expect(result.failures!.map((f) => f.property)).toEqual(["namespace", "subscriptionId", "maxWaitSeconds"]);
    expect((await provider().check!({} as ProviderRegistrationInputs, inputs("Microsoft.Network"))).failures).toEqual([]);
  });

  test("preview: unknown values (the engine's sentinel string) pass check and keep their place in the inputs", async () => {
    const news = { namespace: UNKNOWN, subscriptionId: UNKNOWN, maxWaitSeconds: UNKNOWN, endpoint: UNKNOWN } as unknown as ProviderRegistrationInputs;
    const result = await provider().check!({} as ProviderRegistrationInputs, news);
    expect(result).toEqual({ inputs: news, failures: [] });
    // A known bad value next to an unknown one is still reported.
    const mixed = await provider().check!({} as ProviderRegistrationInputs, { ...news, namespace: "Network" });
    expect(mixed.failures!.map((f) => f.property)).toEqual(["namespace"]);
    expect(arm.requests).toEqual([]);
  });

  test("preview: diff treats an unknown namespace or subscription as a replacement, never throws", async () => {
    const olds: ProviderRegistrationOutputs = { ...inputs("Microsoft.Network"), registrationState: "Registered" };
    const p = provider();
    expect(await p.diff!("id", olds, { ...inputs("Microsoft.Network"), subscriptionId: UNKNOWN })).toEqual({ changes: true, replaces: ["subscriptionId"], deleteBeforeReplace: false });
    expect(await p.diff!("id", olds, { ...inputs("Microsoft.Network"), namespace: UNKNOWN })).toMatchObject({ changes: true, replaces: ["namespace"] });
    expect(await p.diff!("id", olds, { ...inputs("Microsoft.Network"), maxWaitSeconds: UNKNOWN as unknown as number })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
});

describe("configure", () => {
  test("the provider host's stack config reaches createApi as azure-native settings (and nothing else)", async () => {
    const seen: AzureSettings[] = [];
    const runtime: RegistrationRuntime = {
      createApi: (s, _e, settings) => {
        seen.push({ config: { ...settings.config } });
        return createProvidersClient({ subscriptionId: s, credential: fakeCredential, endpoint: arm.endpoint, trustedCaPem: arm.caPem });
      },
    };
    const p = makeProviderRegistrationProvider(runtime);
    const stack: Record<string, string> = { "azure-native:clientId": "cid", "azure-native:clientSecret": "s3cret", "azure-native:environment": "public", "llama-finetune-env:model": "x" };
    await p.configure!({ config: { get: (k) => stack[k], require: (k) => stack[k]! } });
    arm.script["Microsoft.Network"] = { get: [ok("Microsoft.Network", "Registered")] };
    await p.create(inputs("Microsoft.Network"));
    expect(seen).toEqual([{ config: { clientId: "cid", clientSecret: "s3cret", environment: "public" } }]);
  });
});
