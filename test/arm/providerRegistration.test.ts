/** registerAndWait's retry rules, through the real SDK client against the local HTTPS fake ARM. */
import { createProvidersClient } from "../../arm/client";
import { parseRetryAfterMs } from "../../arm/errors";
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

test("503 with retry-after-ms and 202 with an HTTP-date Retry-After are both waited out as asked", async () => {
  // The 202 arrives 3 s in (2 s back-off + 1 s), so a date 12 s after start means "wait 9 s".
  const inNineSeconds = new Date(clock.now() + 12_000).toUTCString();
  arm.script[NS] = {
    register: [ok("Registering")],
    get: [armError(503, "ServiceUnavailable", "busy", { "retry-after-ms": "1000" }), { status: 202, headers: { "Retry-After": inNineSeconds } }, ok("Registered")],
  };
  const result = await registerAndWait(api(), NS, opts());
  expect(result).toEqual({ namespace: NS, registrationState: "Registered", id: `/subscriptions/${SUB}/providers/${NS}` });
  // First poll after the 2 s back-off, then exactly what the server asked for.
  expect(clock.sleeps).toEqual([2000, 1000, 9000]);
});

test("a Retry-After on a Registering answer is honoured instead of the back-off", async () => {
  arm.script[NS] = { register: [ok("Registering", { "Retry-After": "20" })], get: [ok("Registered")] };
  await registerAndWait(api(), NS, opts());
  expect(clock.sleeps).toEqual([20000]);
});

test("back-off doubles up to the cap and never sleeps past the deadline", async () => {
  arm.script[NS] = { register: [ok("Registering")], get: [ok("Registering")] };
  await expect(registerAndWait(api(), NS, opts({ maxWaitMs: 60_000, initialDelayMs: 5000, maxDelayMs: 12_000 }))).rejects.toThrow(/Timed out after 60s .*Microsoft\.OperationalInsights.*'Registering'/);
  expect(clock.sleeps).toEqual([5000, 10000, 12000, 12000, 12000, 9000]);
  expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
});

test("a throttled-only run times out reporting the last HTTP status, not a made-up state", async () => {
  arm.script[NS] = { register: [armError(429, "TooManyRequests", "slow", { "Retry-After": "10" })] };
  await expect(registerAndWait(api(), NS, opts({ maxWaitMs: 25_000 }))).rejects.toThrow(/'unknown \(last answer: HTTP 429\)'/);
  expect(clock.sleeps).toEqual([10000, 10000, 5000]);
});

test("a body that is not a Provider is rejected with what was wrong", async () => {
  arm.script[NS] = { register: [{ status: 200, body: { namespace: NS } }] };
  await expect(registerAndWait(api(), NS, opts())).rejects.toThrow(/unexpected body for resource provider Microsoft\.OperationalInsights: registrationState/);
});

test("an answer about another namespace is rejected", async () => {
  arm.script[NS] = { register: [{ status: 200, body: providerBody(SUB, "Microsoft.Other", "Registered") }] };
  await expect(registerAndWait(api(), NS, opts())).rejects.toThrow(/answered for resource provider Microsoft\.Other/);
});

test("getRegistration reads once, whatever the state", async () => {
  arm.script[NS] = { get: [ok("Unregistering")] };
  await expect(getRegistration(api(), NS, opts())).resolves.toMatchObject({ registrationState: "Unregistering" });
  expect(arm.requests.map((r) => r.method)).toEqual(["GET"]);
});

test("a 401 on register is not retried and points at the credentials", async () => {
  arm.script[NS] = { register: [armError(401, "InvalidAuthenticationToken", "The access token is invalid.")] };
  await expect(registerAndWait(api(), NS, opts())).rejects.toThrow(/HTTP 401 \(InvalidAuthenticationToken\): The access token is invalid\. Check the ARM_\* credentials/);
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
