/**
 * Evaluation samples from the stack's validation file: each chat example becomes the
 * conversation up to (without) its last assistant turn, with that turn as the reference answer;
 * each prompt/completion example becomes the prompt, with the completion as the reference.
 * The file passed the data gate before it was uploaded, but it is read here on its own, so each
 * line is checked again (zod) and bad lines are reported by line number, never sent.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import type { TaskType } from "../config/models";

const message = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() }).loose();
const chatLine = z.object({ messages: z.array(message).min(2) }).loose();
const completionLine = z.object({ prompt: z.string(), completion: z.string() }).loose();

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

export type Sample =
  | { kind: "chat"; line: number; messages: ChatMessage[]; reference: string }
  | { kind: "completion"; line: number; prompt: string; reference: string };

export class SampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SampleError";
  }
}

/** The first `limit` usable examples of the file; throws listing (at most 10) unusable lines. */
export async function readSamples(path: string, task: TaskType, limit: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  const problems: string[] = [];
  let line = 0;
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  try {
    for await (const text of rl) {
      line++;
      if (text.trim() === "") continue;
      const sample = toSample(text, line, task);
      if (typeof sample === "string") problems.push(`${path}:${line}: ${sample}`);
      else samples.push(sample);
      if (samples.length >= limit) break;
    }
  } catch (error) {
    throw new SampleError(`cannot read ${path}: ${(error as Error).message}`);
  } finally {
    rl.close();
  }
  if (problems.length > 0) {
    throw new SampleError(`${problems.length} validation example(s) cannot be evaluated:\n${problems.slice(0, 10).map((p) => `  ${p}`).join("\n")}`);
  }
  if (samples.length === 0) throw new SampleError(`${path} has no examples to evaluate`);
  return samples;
}

function toSample(text: string, line: number, task: TaskType): Sample | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  if (task === "text-generation") {
    const parsed = completionLine.safeParse(value);
    return parsed.success ? { kind: "completion", line, prompt: parsed.data.prompt, reference: parsed.data.completion } : 'needs "prompt" and "completion" strings';
  }
  const parsed = chatLine.safeParse(value);
  if (!parsed.success) return 'needs "messages": a list of { role, content } with at least two messages';
  const messages = parsed.data.messages.map(({ role, content }) => ({ role, content }));
  const last = messages.map((m) => m.role).lastIndexOf("assistant");
  if (last < 1) return "has no assistant answer after the first message to compare with";
  return { kind: "chat", line, messages: messages.slice(0, last), reference: messages[last]!.content };
}
