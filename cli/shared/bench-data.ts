/**
 * Files for `npm run bench`, written to .bench/ (git-ignored) and deleted afterwards.
 *
 * The main file is a large, varied chat dataset. With ../shared/datasets beside the checkout
 * (CI), its texts are drawn from the real datasets there (read, never copied into the repo):
 * the seed chats, the context-switching prompts and the recipes. Without it (a user's clone),
 * they are generated from the word lists below. Either way about 0.1% of the lines are broken
 * (a record that is not an example), so the error path is measured too.
 *
 * The adversarial files are the hostile inputs of issue 13 at bench scale: long runs of one
 * letter, huge role values, a million tiny lines, one line of 50 MB.
 */
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "./project-root";

export const SHARED_DATASETS = path.resolve(projectRoot(), "../shared/datasets");

interface Pools {
  source: "shared datasets" | "generated text";
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

function sharedPools(): Pools {
  const pools: Pools = { source: "shared datasets", systems: [], users: [], assistants: [], rawRecords: [] };
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

const WORDS = (
  "the of and to in is that it for was on are as with his they at be this from have or by one had not but what all were when we there can an your which their said if do will each about how up out them then she many some so these would other into has more her two like him see time could no make than first been its who now people my made over did down only way find use may water long little very after words called just where most know get through back much before go good new write our used me man too any day same right look think also around another came come work three word must because does part even place well such here take why things help put years different away again off went old number great tell men say small every found still between name should home big give air line set own under read last never us left end along while might next sound below saw something thought both few those always looked show large often together asked house world going want school important until form food keep children feet land side without boy once animals life enough took sometimes four head above kind began almost live page got earth need far hand high year mother light parts country father let night following picture being study second eyes soon times story boys since white days paper hard near sentence better best across during today others however sure means knew try told young miles sun ways thing whole hear example heard several change answer room sea against top turned learn point city play toward five using himself usually " +
  "console controller firmware update reboot network settings account password subscription storage download install error code cable wireless battery display resolution audio headset recipe flour butter sugar oven minutes degrees bake whisk simmer sauce garlic onion pepper salt olive oil chicken rice pasta tomato cheese"
).split(" ");

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

function generatedPools(): Pools {
  const rand = rng(7);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const sentence = (words: number, end = ".") => {
    const w = Array.from({ length: words }, () => pick(WORDS));
    if (rand() < 0.3) w.splice(Math.floor(rand() * w.length), 0, String(Math.floor(rand() * 10000)));
    if (rand() < 0.2) w.splice(Math.floor(rand() * w.length), 0, `"${pick(WORDS)}",`);
    const s = w.join(" ");
    return s.charAt(0).toUpperCase() + s.slice(1) + end;
  };
  const paragraph = (sentences: number) => Array.from({ length: sentences }, () => sentence(6 + Math.floor(rand() * 14))).join(" ");
  const pools: Pools = { source: "generated text", systems: [], users: [], assistants: [], rawRecords: [] };
  for (let i = 0; i < 40; i++) pools.systems.push(`You are a helpful assistant for ${pick(WORDS)} ${pick(WORDS)}. ${paragraph(2)}`);
  for (let i = 0; i < 3000; i++) pools.users.push(sentence(5 + Math.floor(rand() * 20), "?"));
  for (let i = 0; i < 3000; i++) pools.assistants.push(Array.from({ length: 1 + Math.floor(rand() * 4) }, () => paragraph(2 + Math.floor(rand() * 5))).join("\n\n"));
  for (let i = 0; i < 50; i++) pools.rawRecords.push(JSON.stringify({ recipe_name: sentence(3, ""), description: sentence(12), recipe: paragraph(6) }));
  return pools;
}

/** Where the bench file's texts come from: the shared datasets when present, else generated text. */
export function benchPools(): Pools {
  return existsSync(path.join(SHARED_DATASETS, "seed__xbox_support_chat.jsonl")) ? sharedPools() : generatedPools();
}

/** Streams lines to `file` until about `sizeBytes` or `maxLines`; returns the bytes and lines written. */
async function writeLines(file: string, sizeBytes: number, nextLine: (lineNo: number) => string, maxLines = Infinity): Promise<{ bytes: number; lines: number }> {
  const out = createWriteStream(file, { highWaterMark: 4 << 20 });
  let bytes = 0;
  let lines = 0;
  let batch: string[] = [];
  let batchBytes = 0;
  while (bytes < sizeBytes && lines < maxLines) {
    const line = nextLine(lines);
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

/**
 * The main bench file: chat examples of 1-3 turns, ~0.1% broken lines. The system prompt repeats
 * (as in real datasets); every user and assistant message carries its line and turn number, so no
 * two are the same text, as in real data (drawn from pools, they would otherwise repeat).
 */
export async function writeBenchFile(file: string, sizeBytes: number, pools = benchPools(), seed = 42): Promise<{ bytes: number; lines: number }> {
  const rand = rng(seed);
  const pick = (a: string[]) => a[Math.floor(rand() * a.length)];
  return writeLines(file, sizeBytes, (lineNo) => {
    if (rand() < 0.001) return pick(pools.rawRecords);
    const turns = 1 + Math.floor(rand() * 3);
    const messages: { role: string; content: string }[] = [{ role: "system", content: pick(pools.systems) }];
    for (let t = 0; t < turns; t++) {
      messages.push({ role: "user", content: `${pick(pools.users)} (ticket ${lineNo + 1}.${t + 1})` });
      messages.push({ role: "assistant", content: `${pick(pools.assistants)} (ref ${lineNo + 1}.${t + 1})` });
    }
    return JSON.stringify({ messages });
  });
}

export interface Adversarial {
  name: string;
  file: string;
  /** What a complete report of it must say: every line read and every error counted. */
  expect: { errors: number; lines: number };
}

/**
 * The hostile inputs at bench scale (sizes in MB of content).
 *
 * Issue 13 gives the size of each hostile line but, for the long runs, not how many lines: they
 * fill `benchBytes` (the bench file's size), at least 10. Their target is the bench file's
 * per-MB rate, and both runs carry the same fixed start-up (modules, the vocabulary, about a
 * quarter of a CPU-second): on a file a sixteenth of the bench file's size that start-up alone
 * took longer than the bench file's rate allows for the whole file, so the ratio measured
 * start-up, not long runs. The other files' sizes are the issue's own (a million tiny lines,
 * one 50 MB line) or already large (8 lines of 15 MB).
 */
export async function writeAdversarialFiles(dir: string, scale = 1, benchBytes = 0): Promise<Adversarial[]> {
  const out: Adversarial[] = [];
  // Long runs of one letter: examples whose user message is 3.2 MB of "a" (too long, counted
  // exactly); every other one starts with "b", so the run's tokens do not line up with its chunks.
  const runs = path.join(dir, "adv-long-runs.jsonl");
  const run = "a".repeat(Math.round(3.2e6 * scale));
  // writeLines stops once the bytes reach the size: the bench file's, or ten runs' worth at least.
  const { lines: runLines } = await writeLines(runs, Math.max(benchBytes, 10 * run.length), (i) => JSON.stringify({ messages: [{ role: "user", content: i % 2 ? run : `b${run}` }, { role: "assistant", content: "ok" }] }));
  out.push({ name: `long runs (${runLines} lines of ${(run.length / 1e6).toFixed(1)} MB of one letter)`, file: runs, expect: { errors: runLines, lines: runLines } });
  // Huge role values: 8 lines with a 15 MB role each.
  const roles = path.join(dir, "adv-huge-roles.jsonl");
  const role = "r".repeat(Math.round(15e6 * scale));
  await writeLines(roles, Infinity, () => JSON.stringify({ messages: [{ role, content: "hi" }, { role: "assistant", content: "ok" }] }), 8);
  out.push({ name: "15 MB role values (8 lines)", file: roles, expect: { errors: 8, lines: 8 } });
  // A million tiny lines, every one an error (no assistant message, or no messages at all).
  const tiny = path.join(dir, "adv-tiny-lines.jsonl");
  const tinyLines = Math.round(1e6 * scale);
  await writeLines(tiny, Infinity, (i) => (i % 2 ? `{"messages":[{"role":"user","content":"q${i % 97}"}]}` : `{"x":${i % 10}}`), tinyLines);
  out.push({ name: "a million tiny lines", file: tiny, expect: { errors: tinyLines, lines: tinyLines } });
  // One line of 50 MB: skipped unread as LINE_TOO_LONG (and so the file has NO_EXAMPLES).
  const single = path.join(dir, "adv-single-line.jsonl");
  const content = "x".repeat(Math.round(50e6 * scale));
  await writeLines(single, Infinity, () => JSON.stringify({ messages: [{ role: "user", content }] }), 1);
  out.push({ name: "one line of 50 MB", file: single, expect: { errors: 2, lines: 1 } });
  return out;
}
