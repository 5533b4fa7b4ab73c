/**
 * A loopback HTTPS server standing in for serverless inference endpoints: `POST
 * <endpoint>/v1/chat/completions` (and `/v1/completions`) answered by a per-endpoint script,
 * OpenAI-style (`choices[0].message.content`, `usage`). Several endpoints share the server under
 * path prefixes (`/base`, `/ft`). It checks the Authorization header, records every request,
 * tracks how many were in flight at once, and can advance the test's clock by a scripted
 * latency so latency percentiles are exact.
 */
import { createServer, type Server } from "node:https";
import { listenOnLoopback, makeCertificate } from "../arm/loopbackHttps";

export interface InferenceRequest {
  endpoint: string;
  path: string;
  authorization?: string;
  body: { messages?: { role: string; content: string }[]; prompt?: string; max_tokens?: number; temperature?: number };
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** The answer text (status 200); or `body` for anything else. */
  content?: string;
  body?: unknown;
  /** Clock milliseconds this attempt takes. */
  latencyMs?: number;
  /** Real milliseconds to hold the response (to make requests overlap). */
  holdMs?: number;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface FakeEndpoint {
  /** Expected Authorization header value. */
  authorization: string;
  reply: (request: InferenceRequest, attempt: number) => Reply;
}

export interface FakeInference {
  endpoint: string;
  caPem: string;
  endpoints: Map<string, FakeEndpoint>;
  requests: InferenceRequest[];
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startFakeInference(advance: (ms: number) => void = () => undefined): Promise<FakeInference> {
  const { key, cert } = makeCertificate();
  const attempts = new Map<string, number>();
  let inFlight = 0;
  const fake: Omit<FakeInference, "endpoint" | "close"> = { caPem: cert, endpoints: new Map(), requests: [], maxInFlight: 0 };
  const server: Server = createServer({ key, cert }, (req, res) => {
    inFlight++;
    fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "https://127.0.0.1");
      const [, name = "", ...rest] = url.pathname.split("/");
      const path = `/${rest.join("/")}`;
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as InferenceRequest["body"];
      const request: InferenceRequest = { endpoint: name, path, authorization: req.headers.authorization, body };
      fake.requests.push(request);
      const ep = fake.endpoints.get(name);
      let reply: Reply;
      if (!ep || req.method !== "POST" || !["/v1/chat/completions", "/v1/completions"].includes(path)) reply = { status: 404, body: { error: { code: "NotFound", message: `no ${req.method} ${url.pathname}` } } };
      else if (req.headers.authorization !== ep.authorization) reply = { status: 401, body: { error: { code: "Unauthorized", message: "invalid key" } } };
      else {
        const k = `${name}:${JSON.stringify(body)}`;
        const attempt = (attempts.get(k) ?? 0) + 1;
        attempts.set(k, attempt);
        reply = ep.reply(request, attempt);
      }
      const send = () => {
        advance(reply.latencyMs ?? 0);
        const status = reply.status ?? 200;
        const payload =
          status === 200 && reply.content !== undefined
            ? path === "/v1/completions"
              ? { choices: [{ index: 0, text: reply.content }], usage: reply.usage }
              : { choices: [{ index: 0, message: { role: "assistant", content: reply.content } }], usage: reply.usage }
            : reply.body;
        res.writeHead(status, { "content-type": "application/json", ...reply.headers });
        res.end(payload === undefined ? "" : JSON.stringify(payload));
        inFlight--;
      };
      if (reply.holdMs) setTimeout(send, reply.holdMs);
      else send();
    });
  });
  const { endpoint, close } = await listenOnLoopback(server);
  return Object.assign(fake, { endpoint, close });
}
