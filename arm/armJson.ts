/**
 * JSON over ARM for the dynamic providers whose operations no installed SDK wraps (Azure ML data
 * assets; see mlDataAssets.ts). Transport is `@azure/core-rest-pipeline` with its bearer-token
 * policy (https only, token scope `<endpoint>/.default` as client.ts uses for ARM), optional
 * extra trusted CA certificates (a test server, a TLS-intercepting proxy), and its own retries
 * turned off: throttling (429), timeouts and ARM's transient 5xx answers are retried here,
 * honouring `Retry-After`, through an injectable sleep and clock and within one deadline, like
 * providerRegistration.ts does.
 *
 * The client only knows GET and PUT. The resources built on it must never send DELETE (Azure ML
 * refuses it on data assets and the stack archives instead), so the method type has no DELETE:
 * a DELETE cannot be written by mistake.
 *
 * Plain functions over plain data, so the dynamic providers that use it serialize cleanly.
 */
import { bearerTokenAuthenticationPolicy, createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { parseRetryAfterMs } from "./errors";
import type { HeaderGetter } from "./errors";

export type ArmMethod = "GET" | "PUT";

export interface ArmJsonResponse {
  status: number;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  json: unknown;
  text: string;
  headers: HeaderGetter;
}

/** One ARM path (below the endpoint, with its `api-version`), answered whatever the final status. */
export interface ArmJsonClient {
  request(method: ArmMethod, path: string, body?: unknown): Promise<ArmJsonResponse>;
}

export interface ArmJsonClientOptions {
  /** ARM base URL, https (the bearer-token policy refuses plain http). */
  endpoint: string;
  credential: TokenCredential;
  apiVersion: string;
  /** PEM certificates to trust instead of the system's CAs. */
  trustedCaPem?: string;
  /** Bound on all attempts and waits of one request, in ms. Default 5 minutes. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** 408, 429 and ARM's transient gateway/service errors: "not now", worth another try. */
export const TRANSIENT_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

/** ARM's `{ error: { code, message } }`, else the start of the body, for messages. */
export function armErrorText(response: ArmJsonResponse): string {
  const body = response.json as { error?: { code?: unknown; message?: unknown } } | undefined;
  const code = typeof body?.error?.code === "string" ? body.error.code : undefined;
  const message = typeof body?.error?.message === "string" ? body.error.message : undefined;
  if (code !== undefined || message !== undefined) return [code, message].filter((s) => s !== undefined).join(": ");
  const text = response.text.trim();
  return text === "" ? `HTTP ${response.status}` : text.slice(0, 300);
}

export function createArmJsonClient(options: ArmJsonClientOptions): ArmJsonClient {
  const endpoint = options.endpoint.replace(/\/+$/, "");
  const pipeline = createPipelineFromOptions({
    retryOptions: { maxRetries: 0 },
    ...(options.trustedCaPem === undefined ? {} : { tlsOptions: { ca: options.trustedCaPem } }),
    userAgentOptions: { userAgentPrefix: "llama-finetune-env-data-assets" },
  });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: `${endpoint}/.default` }));
  const httpClient = createDefaultHttpClient();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const maxWaitMs = options.maxWaitMs ?? 5 * 60_000;

  const send = async (method: ArmMethod, url: string, body: unknown): Promise<ArmJsonResponse> => {
    const headers = createHttpHeaders({ accept: "application/json" });
    if (body !== undefined) headers.set("content-type", "application/json");
    const request = createPipelineRequest({ url, method, headers, body: body === undefined ? undefined : JSON.stringify(body), timeout: 120_000 });
    const res = await pipeline.sendRequest(httpClient, request);
    const text = res.bodyAsText ?? "";
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: { get: (name) => res.headers.get(name) } };
  };

  return {
    request: async (method, path, body) => {
      const url = `${endpoint}${path}${path.includes("?") ? "&" : "?"}api-version=${encodeURIComponent(options.apiVersion)}`;
      const start = now();
      let delayMs = 1000;
      for (;;) {
        let response: ArmJsonResponse | undefined;
        let failure: string;
        try {
          response = await send(method, url, body);
          if (!TRANSIENT_STATUSES.includes(response.status)) return response;
          failure = `HTTP ${response.status} (${armErrorText(response)})`;
        } catch (err) {
          // A dropped connection is worth another try; anything else (TLS, DNS, a refused token) is not.
          const code = (err as { code?: unknown }).code;
          if (code !== "ECONNRESET" && code !== "ETIMEDOUT" && code !== "REQUEST_SEND_ERROR") throw err;
          failure = (err as Error).message;
        }
        const asked = response === undefined ? undefined : parseRetryAfterMs(response.headers, now());
        const wait = asked ?? delayMs;
        const left = maxWaitMs - (now() - start);
        if (wait > left) {
          throw new Error(`${method} ${endpoint}${path} still failed after ${Math.round((now() - start) / 1000)}s of retries: ${failure}. Run the deployment again later.`);
        }
        await sleep(wait);
        if (asked === undefined) delayMs = Math.min(delayMs * 2, 30_000);
      }
    },
  };
}
