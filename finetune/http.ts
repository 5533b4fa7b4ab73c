/**
 * JSON over HTTPS for the fine-tuning loop and the evaluation: ARM calls, the MLflow metrics
 * endpoint and the serverless inference endpoints all go through {@link JsonHttpClient}.
 *
 * Transport is `@azure/core-rest-pipeline` (proxy settings, TLS options, user agent), with its
 * own retries turned off: the retry rules live here, so every wait — ARM's or the inference
 * endpoint's `Retry-After` included — goes through the injected sleep and clock, is bounded,
 * and tests need no real waiting. The rules:
 *  - 408/429/500/502/503/504 and dropped connections: retried up to `maxAttempts` times,
 *    waiting `Retry-After` (seconds, HTTP date, or `retry-after-ms`) when the server sends it,
 *    else an exponential back-off capped at `maxDelayMs`;
 *  - 401: the cached token is dropped and the request retried once with a fresh one (a token
 *    that expired during an hour-long watch, or was revoked);
 *  - anything else is returned to the caller, which knows what a 404 or a 409 means for it.
 */
import { createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest, type HttpClient, type Pipeline } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { z } from "zod";
import { parseRetryAfterMs } from "../arm/errors";

export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A sleep that ends early (rejecting with an AbortError) when the signal fires. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export function abortError(): Error {
  const error = new Error("aborted");
  error.name = "AbortError";
  return error;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

/**
 * Bearer tokens for one scope, refreshed ahead of expiry by the injected clock (so a watch that
 * sleeps for hours never sends a stale token) and on demand after a 401.
 */
export class TokenSource {
  private cached?: { token: string; expiresOn: number };

  constructor(
    private readonly credential: TokenCredential,
    readonly scope: string,
    private readonly now: () => number = Date.now,
    /** Refresh when the token has less than this left. Default 5 minutes. */
    private readonly marginMs = 5 * 60_000,
  ) {}

  async get(): Promise<string> {
    if (this.cached === undefined || this.cached.expiresOn - this.now() < this.marginMs) {
      const token = await this.credential.getToken(this.scope);
      if (!token) throw new Error(`no access token for ${this.scope}: sign in with \`az login\`, or set the ARM_* variables (see README "Deploying")`);
      this.cached = { token: token.token, expiresOn: token.expiresOnTimestamp };
    }
    return this.cached.token;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}

export interface HttpResponse {
  status: number;
  headers: { get(name: string): string | undefined };
  /** The body parsed as JSON; undefined when empty or not JSON. */
  json: unknown;
  text: string;
  /** Duration of the attempt that produced this answer (retry waits excluded), by the injected clock. */
  elapsedMs: number;
}

/** How a request authenticates: a bearer token, a fixed header (an endpoint key), or nothing. */
export type Auth = { kind: "bearer"; tokens: TokenSource } | { kind: "header"; name: string; value: string } | { kind: "none" };

export interface JsonHttpClientOptions {
  auth: Auth;
  /** PEM certificates to trust instead of the system's CAs (a test server, a TLS-intercepting proxy). */
  trustedCaPem?: string;
  sleep?: Sleep;
  now?: () => number;
  /** Attempts per request, the first included. Default 6. */
  maxAttempts?: number;
  /** First back-off step; doubles up to maxDelayMs. Default 2 s. */
  initialDelayMs?: number;
  /** Cap on one back-off step and on one Retry-After wait. Default 60 s. */
  maxDelayMs?: number;
  /** Socket timeout per attempt, ms. Default 120 s. */
  timeoutMs?: number;
  userAgent?: string;
}

/** The server kept answering with retryable errors: the last answer, for the message. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly url: string,
    readonly attempts: number,
    readonly lastStatus: number | undefined,
    detail: string,
  ) {
    super(`${new URL(url).host} still answered ${lastStatus === undefined ? "with a network error" : `HTTP ${lastStatus}`} after ${attempts} attempts: ${detail}`);
    this.name = "RetriesExhaustedError";
  }
}

export class JsonHttpClient {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly sleep: Sleep;
  readonly now: () => number;

  constructor(private readonly options: JsonHttpClientOptions) {
    this.pipeline = createPipelineFromOptions({
      retryOptions: { maxRetries: 0 },
      ...(options.trustedCaPem === undefined ? {} : { tlsOptions: { ca: options.trustedCaPem } }),
      userAgentOptions: { userAgentPrefix: options.userAgent ?? "llama-finetune-env" },
    });
    this.httpClient = createDefaultHttpClient();
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  /** Sends one request, retrying as described above; returns the final answer whatever its status. */
  async request(method: "GET" | "PUT" | "POST" | "DELETE", url: string, body?: unknown, signal?: AbortSignal): Promise<HttpResponse> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    const maxDelayMs = this.options.maxDelayMs ?? 60_000;
    let delayMs = this.options.initialDelayMs ?? 2_000;
    let refreshedAfter401 = false;
    let last: { status?: number; detail: string } = { detail: "no answer" };
    for (let attempt = 1; ; attempt++) {
      let response: HttpResponse | undefined;
      try {
        response = await this.send(method, url, body, signal);
      } catch (error) {
        if (isAbortError(error) || signal?.aborted) throw abortError();
        last = { detail: (error as Error).message };
      }
      if (response !== undefined) {
        if (response.status === 401 && this.options.auth.kind === "bearer" && !refreshedAfter401) {
          refreshedAfter401 = true;
          this.options.auth.tokens.invalidate();
          attempt--;
          continue;
        }
        if (!RETRY_STATUSES.has(response.status)) return response;
        last = { status: response.status, detail: errorDetail(response) };
      }
      if (attempt >= maxAttempts) throw new RetriesExhaustedError(url, attempt, last.status, last.detail);
      const asked = response === undefined ? undefined : parseRetryAfterMs(response.headers, this.now());
      const wait = Math.min(asked ?? delayMs, maxDelayMs);
      if (asked === undefined) delayMs = Math.min(delayMs * 2, maxDelayMs);
      await this.sleep(wait, signal);
    }
  }

  private async send(method: string, url: string, body: unknown, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const headers = createHttpHeaders({ accept: "application/json" });
    const auth = this.options.auth;
    if (auth.kind === "bearer") headers.set("authorization", `Bearer ${await auth.tokens.get()}`);
    else if (auth.kind === "header") headers.set(auth.name, auth.value);
    if (body !== undefined) headers.set("content-type", "application/json");
    const request = createPipelineRequest({
      url,
      method: method as "GET",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeout: this.options.timeoutMs ?? 120_000,
      abortSignal: signal,
    });
    const started = this.now();
    const res = await this.pipeline.sendRequest(this.httpClient, request);
    const elapsedMs = this.now() - started;
    const text = res.bodyAsText ?? "";
    let json: unknown;
    if (text !== "") {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: res.status, headers: { get: (name) => res.headers.get(name) }, json, text, elapsedMs };
  }
}

const armErrorBody = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }).loose() }).loose();

/** ARM-style `{ error: { code, message } }`, else the first 300 characters of the body. */
export function errorDetail(response: HttpResponse): string {
  const parsed = armErrorBody.safeParse(response.json);
  if (parsed.success && (parsed.data.error.code || parsed.data.error.message)) {
    return [parsed.data.error.code, parsed.data.error.message].filter(Boolean).join(": ");
  }
  const text = response.text.trim();
  return text === "" ? `HTTP ${response.status}` : text.slice(0, 300);
}
