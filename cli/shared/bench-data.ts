/**
 * Builds a large, varied JSON Lines file for `npm run bench` from the real datasets in
 * ../shared/datasets (read, never copied into the repo): chat examples whose system, user and
 * assistant texts are drawn from the seed chats, the context-switching prompts and the recipe
 * texts, combined with varying turn counts and a per-line ticket number so lines differ, plus a
 * few broken lines (raw recipe records, ~0.1%) so the error path is exercised too.
 */
import { createWriteStream, readFileSync } from "node:fs";
import path from "node:path";

export const SHARED_DATASETS = path.resolve(__dirname, "../../../shared/datasets");

interface Pools {
  systems: string[];
  users: string[];
  assistants: string[];
  rawRecords: string[];
}

function readJsonl(file: string): unknown[] {
  return readFileSync(path.join(SHARED_DATASETS, file), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown);
}

function loadPools(): Pools {
  const pools: Pools = { systems: [], users: [], assistants: [], rawRecords: [] };
  for (const rec of readJsonl("seed__xbox_support_chat.jsonl") as { messages: { role: string; content: string }[] }[]) {
    for (const m of rec.messages) {
      if (m.role === "system") pools.systems.push(m.content);
      else if (m.role === "user") pools.users.push(m.content);
      else pools.assistants.push(m.content);
    }
  }
  for (const f of ["azure-samples-openai__context_switching_prepared_train.jsonl", "azure-samples-openai__context_switching_prepared_valid.jsonl"]) {
    for (const rec of readJsonl(f) as { prompt: string }[]) pools.users.push(rec.prompt.replace(/\s*->\s*$/, "").trim());
  }
  const recipesRaw = readFileSync(path.join(SHARED_DATASETS, "azure-samples-openai__recipes_final.jsonl"), "utf8").split("\n").filter((l) => l.trim());
  for (const line of recipesRaw) {
    const rec = JSON.parse(line) as { recipe: string; recipe_name: string; description?: string };
    pools.assistants.push(rec.recipe.slice(0, 600 + (rec.recipe.length % 1400)));
    pools.users.push(`How do I make ${rec.recipe_name}?`);
    if (rec.description) pools.systems.push(`You are a cooking assistant. ${rec.description}`);
    pools.rawRecords.push(line);
  }
  return pools;
}

/** Deterministic xorshift so every run writes the same file. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** Writes about `sizeBytes` of JSON Lines to `file`; returns the bytes and lines written. */
export async function writeBenchFile(file: string, sizeBytes: number, seed = 42): Promise<{ bytes: number; lines: number }> {
  const p = loadPools();
  const rand = rng(seed);
  const pick = (a: string[]) => a[Math.floor(rand() * a.length)];
  const out = createWriteStream(file, { highWaterMark: 4 << 20 });
  let bytes = 0;
  let lines = 0;
  let batch: string[] = [];
  let batchBytes = 0;
  while (bytes < sizeBytes) {
    let line: string;
    if (rand() < 0.001) {
      line = pick(p.rawRecords);
    } else {
      const turns = 1 + Math.floor(rand() * 3);
      const messages: { role: string; content: string }[] = [{ role: "system", content: pick(p.systems) }];
      for (let t = 0; t < turns; t++) {
        messages.push({ role: "user", content: t === 0 ? `${pick(p.users)} (ticket ${lines + 1})` : pick(p.users) });
        messages.push({ role: "assistant", content: pick(p.assistants) });
      }
      line = JSON.stringify({ messages });
    }
    batch.push(line);
    const n = Buffer.byteLength(line) + 1;
    batchBytes += n;
    bytes += n;
    lines++;
    if (batchBytes > 4 << 20) {
      if (!out.write(batch.join("\n") + "\n")) await new Promise<void>((r) => out.once("drain", () => r()));
      batch = [];
      batchBytes = 0;
    }
  }
  if (batch.length) out.write(batch.join("\n") + "\n");
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { bytes, lines };
}
