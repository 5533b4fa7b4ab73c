/**
 * `npm run bench [-- --size-mb 512 --token-size-mb <n> --keep]`
 *
 * Generates a large dataset (default 512 MB, grown from ../shared/datasets) in .bench/ and
 * measures, each in its own child process so peak RSS is per measurement:
 *   (a) the validator without token counting,
 *   (b) a bare Node loop that only reads, splits lines and JSON.parses each (the practical limit),
 *   (c) the validator with token counting (on the first --token-size-mb of the same data;
 *       default: the whole file).
 * Prints MB/s and peak RSS of each against the targets: (a) ≥ ½ of (b), RSS < 256 MB, (c) ≥ 2 MB/s.
 * Deletes the file afterwards unless --keep.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { z } from "zod";
import { validateDataset } from "../data";
import { defaultModel } from "../config/models";
import { writeBenchFile } from "./shared/bench-data";
import { EXIT_USAGE } from "./shared/exit-codes";

interface Measurement {
  mode: string;
  bytes: number;
  ms: number;
  maxRssMB: number;
  examples: number;
}

const MB = 1e6;

async function bareLoop(file: string): Promise<number> {
  let lines = 0;
  let carry: Buffer | null = null;
  for await (const data of createReadStream(file, { highWaterMark: 1 << 20 })) {
    let chunk = data as Buffer;
    if (carry) {
      chunk = Buffer.concat([carry, chunk]);
      carry = null;
    }
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl === -1) break;
      if (nl > pos) {
        try {
          JSON.parse(chunk.toString("utf8", pos, nl));
        } catch {
          /* counted like any line */
        }
        lines++;
      }
      pos = nl + 1;
    }
    if (pos < chunk.length) carry = Buffer.from(chunk.subarray(pos));
  }
  return lines;
}

/** Runs one measurement in this process (child mode) and prints it as JSON. */
async function child(mode: string, file: string): Promise<void> {
  const bytes = statSync(file).size;
  const t0 = process.hrtime.bigint();
  let examples: number;
  if (mode === "b") {
    examples = await bareLoop(file);
  } else {
    const r = await validateDataset({ trainingFile: file, model: defaultModel(), countTokens: mode === "c", maxIssues: 10 });
    examples = r.stats.training.examples;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m: Measurement = { mode, bytes, ms, maxRssMB: process.resourceUsage().maxRSS / 1024, examples };
  process.stdout.write(JSON.stringify(m) + "\n");
}

function measure(mode: string, file: string): Measurement {
  // Same runtime and loader flags as this process (tsx), fresh heap.
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", mode, file], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`measurement ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as Measurement;
}

async function main(): Promise<void> {
  const program = new Command()
    .name("bench")
    .option("--size-mb <n>", "size of the generated file in MB", "512")
    .option("--token-size-mb <n>", "MB measured with token counting (default: the whole file)")
    .option("--keep", "keep the generated files in .bench/")
    .option("--child <mode>", "internal: run one measurement")
    .argument("[file]")
    .exitOverride();
  try {
    program.parse(process.argv.slice(2), { from: "user" });
  } catch {
    process.exit(EXIT_USAGE);
  }
  const opts = program.opts<{ sizeMb: string; tokenSizeMb?: string; keep?: boolean; child?: string }>();
  if (opts.child) return child(opts.child, program.args[0]);

  const parsed = z
    .object({ sizeMb: z.coerce.number().positive(), tokenSizeMb: z.coerce.number().positive().optional() })
    .safeParse(opts);
  if (!parsed.success) {
    process.stderr.write("bench: --size-mb and --token-size-mb must be positive numbers\n");
    process.exit(EXIT_USAGE);
  }
  const sizeMb = parsed.data.sizeMb;
  const tokenSizeMb = Math.min(parsed.data.tokenSizeMb ?? sizeMb, sizeMb);

  const dir = path.resolve(__dirname, "../.bench");
  mkdirSync(dir, { recursive: true });
  const big = path.join(dir, `bench-${process.pid}.jsonl`);
  const small = tokenSizeMb < sizeMb ? path.join(dir, `bench-${process.pid}-tokens.jsonl`) : big;
  try {
    let t = Date.now();
    const written = await writeBenchFile(big, sizeMb * MB);
    console.log(`generated ${big}: ${(written.bytes / MB).toFixed(0)} MB, ${written.lines.toLocaleString("en-US")} lines in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    if (small !== big) await writeBenchFile(small, tokenSizeMb * MB);

    const results: Record<string, Measurement> = {};
    for (const [mode, file, label] of [
      ["b", big, "(b) bare read + split + JSON.parse"],
      ["a", big, "(a) validator, no token counting"],
      ["c", small, "(c) validator with token counting"],
    ] as const) {
      t = Date.now();
      const m = measure(mode, file);
      results[mode] = m;
      console.log(`${label.padEnd(38)} ${(m.bytes / MB).toFixed(0).padStart(5)} MB  ${(m.bytes / MB / (m.ms / 1000)).toFixed(1).padStart(7)} MB/s  peak RSS ${m.maxRssMB.toFixed(0).padStart(4)} MB  (${m.examples.toLocaleString("en-US")} lines)`);
    }
    const speed = (m: Measurement) => m.bytes / MB / (m.ms / 1000);
    const a = speed(results.a);
    const b = speed(results.b);
    const c = speed(results.c);
    const maxRss = Math.max(results.a.maxRssMB, results.c.maxRssMB);
    console.log("");
    console.log(`target (a) ≥ ½ (b): ${a.toFixed(1)} vs ${(b / 2).toFixed(1)} MB/s — ${a >= b / 2 ? "met" : "NOT met"} (a/b = ${(a / b).toFixed(2)})`);
    console.log(`target peak RSS < 256 MB: validator ${maxRss.toFixed(0)} MB — ${maxRss < 256 ? "met" : "NOT met"}`);
    console.log(`target (c) ≥ 2 MB/s: ${c.toFixed(1)} MB/s — ${c >= 2 ? "met" : "NOT met"}`);
  } finally {
    if (!opts.keep) {
      rmSync(big, { force: true });
      rmSync(small, { force: true });
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
