/**
 * A local HTTPS server that answers the two ARM provider operations like ARM does, so the
 * real `@azure/arm-resources` client (with its real pipeline: bearer-token policy, TLS,
 * deserialization) is exercised end to end. It records every request it receives.
 *
 * HTTPS, not HTTP: the SDK's bearer-token policy refuses non-https URLs. The certificate is
 * a throwaway self-signed one for 127.0.0.1, made with the `openssl` CLI at test time (Node's
 * crypto cannot issue X.509 certificates), and only the client under test is told to trust
 * it (the `tlsOptions.ca` pipeline option); nothing disables verification globally.
 */
import { createServer } from "node:https";
import type { Server } from "node:https";
import type { TokenCredential } from "@azure/identity";
import { listenOnLoopback, makeCertificate } from "./loopbackHttps";

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent byte for byte instead of JSON.stringify(body) (e.g. a reference example file). */
  rawBody?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  apiVersion: string | null;
  authorization: string | undefined;
}

/** Per namespace (case-insensitive), what `register` and `get` answer, in order; the last answer repeats. */
export type Script = Record<string, { register?: CannedResponse[]; get?: CannedResponse[] }>;

export const FAKE_TOKEN = "fake-token-for-tests";

/** A credential that hands out a fixed token; stands in for Entra ID, not for the client under test. */
export const fakeCredential: TokenCredential = {
  getToken: async () => ({ token: FAKE_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/**
 * A Provider body shaped exactly like ARM's own example for Providers_Get (same keys, nesting and
 * value types as specification/resources/resource-manager/Microsoft.Resources/stable/2025-04-01/
 * examples/GetProvider.json, api-version 2025-04-01), for any namespace and state. The
 * providerRegistration tests compare this shape with the byte-exact example when ../shared is there.
 */
export function providerBody(subscriptionId: string, namespace: string, registrationState: string): unknown {
  return {
    id: `/subscriptions/${subscriptionId}/providers/${namespace}`,
    namespace,
    registrationState,
    registrationPolicy: "RegistrationRequired",
    resourceTypes: [
      {
        resourceType: "TestResourceType",
        locations: ["West US"],
        apiVersions: ["2018-01-01", "2015-05-01"],
        locationMappings: [{ location: "West US", type: "EdgeZone", extendedLocations: ["LosAngeles", "LosAngeles2"] }],
        capabilities: "CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation",
      },
      {
        resourceType: "TestResourceTypeSibling",
        locations: ["West US"],
        apiVersions: ["2018-01-01", "2015-05-01"],
        capabilities: "CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation",
      },
    ],
  };
}

export function armError(status: number, code: string, message: string, headers?: Record<string, string>): CannedResponse {
  return { status, headers, body: { error: { code, message } } };
}

export interface FakeArm {
  endpoint: string;
  caPem: string;
  requests: RecordedRequest[];
  script: Script;
  close(): Promise<void>;
}

const ROUTE = /^\/subscriptions\/([^/]+)\/providers\/([^/]+?)(\/register)?$/;

export async function startFakeArm(): Promise<FakeArm> {
  const { key, cert } = makeCertificate();
  const requests: RecordedRequest[] = [];
  const script: Script = {};
  const served: Record<string, number> = {};
  const server: Server = createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    requests.push({ method: req.method ?? "", path: url.pathname, apiVersion: url.searchParams.get("api-version"), authorization: req.headers.authorization });
    req.resume();
    req.on("end", () => {
      const m = ROUTE.exec(url.pathname);
      const op = m?.[3] ? "register" : "get";
      const expectedMethod = op === "register" ? "POST" : "GET";
      let answer: CannedResponse;
      if (m === null || req.method !== expectedMethod) {
        answer = armError(404, "NotFound", `No route for ${req.method} ${url.pathname}`);
      } else {
        const ns = decodeURIComponent(m[2]!).toLowerCase();
        const list = Object.entries(script).find(([k]) => k.toLowerCase() === ns)?.[1]?.[op];
        if (list === undefined || list.length === 0) {
          answer = armError(404, "InvalidResourceNamespace", `The resource namespace '${m[2]}' is invalid.`);
        } else {
          const key = `${ns}/${op}`;
          const i = served[key] ?? 0;
          served[key] = i + 1;
          answer = list[Math.min(i, list.length - 1)]!;
        }
      }
      // ARM stamps every answer with request ids (x-ms-request-id, x-ms-correlation-request-id).
      const ids = { "x-ms-request-id": "00000000-0000-0000-0000-00000000000a", "x-ms-correlation-request-id": "00000000-0000-0000-0000-00000000000b" };
      res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", ...ids, ...answer.headers });
      res.end(answer.rawBody ?? (answer.body === undefined ? "" : JSON.stringify(answer.body)));
    });
  });
  const { endpoint, close } = await listenOnLoopback(server);
  return { endpoint, caPem: cert, requests, script, close };
}

/** A clock that only moves when the code under test sleeps, recording each sleep. */
export function fakeClock(start = 1_700_000_000_000): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}
