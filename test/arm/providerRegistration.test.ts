/** registerAndWait's read-first flow and retry rules, through the real SDK client against the local HTTPS fake ARM. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createProvidersClient } from "../../arm/client";
import { parseRetryAfterMs, ProviderRegistrationPermissionError } from "../../arm/errors";
import { getRegistration, registerAndWait } from "../../arm/providerRegistration";
import { armError, fakeClock, fakeCredential, providerBody, startFakeArm } from "./fakeArm";
import type { FakeArm } from "./fakeArm";

const SUB = "99999999-8888-7777-6666-555555555555";
const NS = "Microsoft.OperationalInsights";
let arm: FakeArm;
let clock: ReturnType<typeof fakeClock>;

beforeEach(async () => {
  arm = await startFakeArm();
  clock = fakeClock();
});
afterEach(() => arm.close());

const api = () => createProvidersClient({ subscriptionId: SUB, credential: fakeCredential, endpoint: arm.endpoint, trustedCaPem: arm.caPem });
const opts = (extra: object = {}) => ({ subscriptionId: SUB, sleep: clock.sleep, now: clock.now, ...extra });
const ok = (state: string, headers?: Record<string, string>) => ({ status: 200, headers, body: providerBody(SUB, NS, state) });

const calls = () => arm.requests.map((r) => `${r.method}${r.path.endsWith("/register") ? " register" : ""}`);

describe("read first, register only when needed (issue 9, defect 12)", () => {
  test("an already Registered namespace costs one GET and no POST, so a reader-only identity passes", async () => {
    // The register POST would be refused: it must not be sent at all.
    arm.script[NS] = { get: [ok("Registered")], register: [armError(403, "AuthorizationFailed", "no register/action")] };
    await expect(registerAndWait(api(), NS, opts())).resolves.toEqual({ namespace: NS, registrationState: "Registered", id: `/subscriptions/${SUB}/providers/${NS}` });
    expect(calls()).toEqual(["GET"]);
    expect(clock.sleeps).toEqual([]);
  });

  test("NotRegistered: POST register, then poll until Registered", async () => {
    arm.script[NS] = { get: [ok("NotRegistered"), ok("Registering"), ok("Registered")], register: [ok("Registering")] };
    await registerAndWait(api(), NS, opts());
    expect(calls()).toEqual(["GET", "POST register", "GET", "GET"]);
    expect(clock.sleeps).toEqual([2000, 4000]);
  });

  test("Registering (someone else's registration): waits with GETs only, never POSTs", async () => {
    arm.script[NS] = { get: [ok("Registering"), ok("Registering"), ok("Registered")], register: [armError(403, "AuthorizationFailed", "no register/action")] };
    await expect(registerAndWait(api(), NS, opts())).resolves.toMatchObject({ registrationState: "Registered" });
    expect(calls()).toEqual(["GET", "GET", "GET"]);
    expect(clock.sleeps).toEqual([2000, 4000]);
  });

  test("NotRegistered and a 403 on register: names the missing Microsoft.X/register/action", async () => {
    arm.script[NS] = {
      get: [ok("NotRegistered")],
      register: [armError(403, "AuthorizationFailed", `The client 'x' does not have authorization to perform action '${NS}/register/action' over scope '/subscriptions/${SUB}'.`)],
    };
    const err = await registerAndWait(api(), NS, opts()).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderRegistrationPermissionError);
    expect((err as Error).message).toContain(`'${NS}/register/action'`);
    expect(calls()).toEqual(["GET", "POST register"]);
  });

  test("a 403 on the read is a read-permission error (Reader), and nothing is registered", async () => {
    arm.script[NS] = { get: [armError(403, "AuthorizationFailed", "no read")] };
    await expect(registerAndWait(api(), NS, opts())).rejects.toThrow(/Reading resource provider Microsoft\.OperationalInsights failed with HTTP 403 \(AuthorizationFailed\).*Reader/);
    expect(calls()).toEqual(["GET"]);
  });
});

describe("ARM's own Providers_Get example (../shared/reference, byte-exact)", () => {
  const example = path.resolve(__dirname, "../../../shared/reference/azure-examples/Providers__GetProvider.json");
  const present = existsSync(example);
  if (!present) console.log(`skipped: ${example} is absent (a user's clone has no ../shared); fakeArm.providerBody covers the same shape`);
  (present ? test : test.skip)("the client reads the example's body as served, and the fake's bodies have exactly its shape", async () => {
    const file = JSON.parse(readFileSync(example, "utf8")) as { parameters: { subscriptionId: string; resourceProviderNamespace: string }; responses: { 200: { body: unknown } } };
    const { subscriptionId, resourceProviderNamespace } = file.parameters;
    arm.script[resourceProviderNamespace] = { get: [{ status: 200, rawBody: JSON.stringify(file.responses[200].body) }] };
    const client = createProvidersClient({ subscriptionId, credential: fakeCredential, endpoint: arm.endpoint, trustedCaPem: arm.caPem });
    await expect(getRegistration(client, resourceProviderNamespace, { ...opts(), subscriptionId })).resolves.toEqual({
      namespace: resourceProviderNamespace,
      registrationState: "Registering",
      id: `/subscriptions/${subscriptionId}/providers/${resourceProviderNamespace}`,
    });
    expect(arm.requests[0]!.path).toBe(`/subscriptions/${subscriptionId}/providers/${resourceProviderNamespace}`);
    expect(shape(providerBody(subscriptionId, resourceProviderNamespace, "Registering"))).toEqual(shape(file.responses[200].body));
  });
});

/** Keys, nesting and value types, without the values. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  return typeof v;
}

test("503 with retry-after-ms and 202 with an HTTP-date Retry-After are both waited out as asked", async () => {
  // The 202 arrives 3 s in (2 s back-off + 1 s), so a date 12 s after start means "wait 9 s".
  const inNineSeconds = new Date(clock.now() + 12_000).toUTCString();
  arm.script[NS] = {
    register: [ok("Registering")],
    get: [ok("NotRegistered"), armError(503, "ServiceUnavailable", "busy", { "retry-after-ms": "1000" }), { status: 202, headers: { "Retry-After": inNineSeconds } }, ok("Registered")],
  };
  const result = await registerAndWait(api(), NS, opts());
  expect(result).toEqual({ namespace: NS, registrationState: "Registered", id: `/subscriptions/${SUB}/providers/${NS}` });
  // First poll after the 2 s back-off, then exactly what the server asked for.
  expect(clock.sleeps).toEqual([2000, 1000, 9000]);
});

test("a Retry-After on a Registering answer is honoured instead of the back-off", async () => {
  arm.script[NS] = { get: [ok("NotRegistered"), ok("Registered")], register: [ok("Registering", { "Retry-After": "20" })] };
  await registerAndWait(api(), NS, opts());
  expect(clock.sleeps).toEqual([20000]);
});

test("back-off doubles up to the cap and never sleeps past the deadline (the first read counts too)", async () => {
  arm.script[NS] = { get: [ok("NotRegistered"), ok("Registering")], register: [ok("Registering")] };
  await expect(registerAndWait(api(), NS, opts({ maxWaitMs: 60_000, initialDelayMs: 5000, maxDelayMs: 12_000 }))).rejects.toThrow(/Timed out after 60s .*Microsoft\.OperationalInsights.*'Registering'/);
  expect(clock.sleeps).toEqual([5000, 10000, 12000, 12000, 12000, 9000]);
  expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
});

test("a throttled-only run times out reporting the last HTTP status, not a made-up state", async () => {
  arm.script[NS] = { get: [armError(429, "TooManyRequests", "slow", { "Retry-After": "10" })] };
  await expect(registerAndWait(api(), NS, opts({ maxWaitMs: 25_000 }))).rejects.toThrow(/'unknown \(last answer: HTTP 429\)'/);
  expect(clock.sleeps).toEqual([10000, 10000, 5000]);
  expect(calls().every((c) => c === "GET")).toBe(true);
});

test("a body that is not a Provider is rejected with what was wrong", async () => {
  arm.script[NS] = { get: [{ status: 200, body: { namespace: NS } }] };
  await expect(registerAndWait(api(), NS, opts())).rejects.toThrow(/unexpected body for resource provider Microsoft\.OperationalInsights: registrationState/);
});

test("an answer about another namespace is rejected", async () => {
  arm.script[NS] = { get: [{ status: 200, body: providerBody(SUB, "Microsoft.Other", "Registered") }] };
  await expect(registerAndWait(api(), NS, opts())).rejects.toThrow(/answered for resource provider Microsoft\.Other/);
});

test("getRegistration reads once, whatever the state", async () => {
  arm.script[NS] = { get: [ok("Unregistering")] };
  await expect(getRegistration(api(), NS, opts())).resolves.toMatchObject({ registrationState: "Unregistering" });
  expect(arm.requests.map((r) => r.method)).toEqual(["GET"]);
});

test("a 401 is not retried and points at the credentials", async () => {
  arm.script[NS] = { get: [armError(401, "InvalidAuthenticationToken", "The access token is invalid.")] };
  await expect(registerAndWait(api(), NS, opts())).rejects.toThrow(/HTTP 401 \(InvalidAuthenticationToken\): The access token is invalid\. Check the Azure credentials \(azure-native:\* stack config or ARM_\* variables/);
  expect(arm.requests).toHaveLength(1);
});

describe("parseRetryAfterMs", () => {
  const h = (headers: Record<string, string>) => ({ get: (n: string) => headers[n.toLowerCase()] });
  test("reads ms headers first, then seconds or an HTTP date; ignores junk", () => {
    expect(parseRetryAfterMs(h({ "retry-after-ms": "250", "retry-after": "9" }), 0)).toBe(250);
    expect(parseRetryAfterMs(h({ "x-ms-retry-after-ms": "40" }), 0)).toBe(40);
    expect(parseRetryAfterMs(h({ "retry-after": "3" }), 0)).toBe(3000);
    expect(parseRetryAfterMs(h({ "retry-after": "Thu, 01 Jan 1970 00:00:05 GMT" }), 1000)).toBe(4000);
    expect(parseRetryAfterMs(h({ "retry-after": "Thu, 01 Jan 1970 00:00:05 GMT" }), 9000)).toBe(0);
    expect(parseRetryAfterMs(h({ "retry-after": "soon" }), 0)).toBeUndefined();
    expect(parseRetryAfterMs(h({}), 0)).toBeUndefined();
  });
});
