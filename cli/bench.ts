/**
 * `npm run bench [-- --size-mb 512 --adversarial-scale 1 --no-adversarial --no-plan --keep]`
 *
 * Measures the data gate against its targets (issue 13), each case in its own process so the
 * peak RSS is per case, and prints every figure with its target and a Markdown table for
 * data/README.md:
 *   (b) a bare loop that only reads, splits lines and JSON.parses each: the practical limit;
 *   (a) the validator without token counting (`--no-tokens`): target ≥ 0.5 × (b);
 *   (c) the validator as the CLI and the stack run it (exact token counts): ≥ 0.33 × (b),
 *       ≥ 3 × (p), peak RSS < 256 MB;
 *   (p) the cookbook-style Python checker (cli/shared/cookbook_check.py; no token counting);
 *   adversarial files (long runs, huge role values, a million tiny lines, a 50 MB line): each at
 *       no worse than (c)'s MB/s, under 256 MB, with a complete report;
 *   `npm run plan` of the dev stack: < 3 s (best of three; the machine should be idle).
 * The bench file (512 MB by default) is generated in .bench/ (from ../shared/datasets when
 * present, else from generated text) and deleted afterwards unless --keep.
 *
 * On a shared machine one run of a case can lose half its speed to a burst of other work, so
 * the cases run in `--repeat` rounds (b, a, c, p, then again) and each keeps its fastest run
 * (its largest peak RSS); the ratios compare those, and the load average is printed with them.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, mkdirSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { z } from "zod";
import { validateDataset } from "../data";
import { idleCores } from "../data/executor";
import { defaultModel } from "../config/models";
import { benchPools, writeAdversarialFiles, writeBenchFile, type Adversarial } from "./shared/bench-data";
import { EXIT_USAGE } from "./shared/exit-codes";
import { errorMessage } from "./shared/output";
import { projectRoot } from "./shared/project-root";

interface Measurement {
  mode: string;
  bytes: number;
  ms: number;
  cpuMs: number;
  maxRssMB: number;
  lines: number;
  errors: number;
  /** Worker threads the validator used (auto: only when a core was idle); absent for (b) and (p). */
  workers?: number;
}

const MB = 1e6;
const RSS_LIMIT_MB = 256;
const ROOT = projectRoot();

async function bareLoop(file: string): Promise<{ lines: number; errors: number }> {
  let lines = 0;
  let errors = 0;
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
          errors++;
        }
      }
      lines++;
      pos = nl + 1;
    }
    if (pos < chunk.length) carry = Buffer.from(chunk.subarray(pos));
  }
  return { lines, errors };
}

/** Runs one measurement in this process (child mode) and prints it as JSON. */
async function child(mode: string, file: string): Promise<void> {
  const bytes = statSync(file).size;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let counts: { lines: number; errors: number; workers?: number };
  if (mode === "b") {
    counts = await bareLoop(file);
  } else {
    const r = await validateDataset({ trainingFile: file, model: defaultModel(), countTokens: mode !== "a", maxIssues: 10 });
    counts = { lines: r.stats.training.lines, errors: r.errorCount, workers: r.stats.workers };
  }
  const cpu = process.cpuUsage(cpu0);
  const m: Measurement = { mode, bytes, ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, ...counts };
  process.stdout.write(JSON.stringify(m) + "\n");
}

function measure(mode: string, file: string): Measurement {
  // Same runtime and loader flags as this process (tsx), fresh heap.
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", mode, file], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`measurement ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as Measurement;
}

function measurePython(file: string): Measurement | string {
  const r = spawnSync("python3", [path.join(ROOT, "cli/shared/cookbook_check.py"), file], { encoding: "utf8", maxBuffer: 1 << 20 });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") return "python3 is not installed (install Python 3 to compare with the cookbook-style checker)";
  if (r.error || r.status !== 0) return `python3 could not run the checker (${r.error?.message ?? r.stderr.trim().slice(0, 200)})`;
  const p = JSON.parse(r.stdout) as { bytes: number; lines: number; seconds: number; maxRssMB: number; errors: Record<string, number> };
  return { mode: "p", bytes: p.bytes, ms: p.seconds * 1000, cpuMs: NaN, maxRssMB: p.maxRssMB, lines: p.lines, errors: Object.values(p.errors).reduce((a, b) => a + b, 0) };
}

/** Best of three wall times of `npm run plan` (dev stack), and its CPU time. */
function measurePlan(): { wallMs: number; cpuMs: number } {
  let best = { wallMs: Infinity, cpuMs: Infinity };
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync("sh", ["-c", "npm run -s plan > /dev/null; times"], { cwd: ROOT, encoding: "utf8" });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    // `times` prints the shell's and its children's user/system times; the second line is the children's.
    const children = (r.stdout.trim().split("\n").pop() ?? "").match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
    const cpuMs = children ? (Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])) * 1000 : NaN;
    if (r.status === 0 && wallMs < best.wallMs) best = { wallMs, cpuMs };
  }
  return best;
}

/** The fastest of several runs of one case, with the largest peak RSS of them. */
function best(runs: Measurement[]): Measurement {
  const fastest = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ...fastest, maxRssMB: Math.max(...runs.map((m) => m.maxRssMB)) };
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(", ");
const speed = (m: Measurement) => m.bytes / MB / (m.ms / 1000);
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");

async function main(): Promise<void> {
  const program = new Command()
    .name("bench")
    .option("--size-mb <n>", "size of the generated bench file in MB", "512")
    .option("--adversarial-scale <x>", "size factor of the adversarial files (1 = the sizes of issue 13)", "1")
    .option("--repeat <n>", "rounds of measurements; each case keeps its fastest run", "3")
    .option("--no-adversarial", "skip the adversarial files")
    .option("--no-plan", "skip the plan start-up measurement")
    .option("--keep", "keep the generated files in .bench/")
    .option("--child <mode>", "internal: run one measurement")
    .argument("[file]")
    .exitOverride();
  try {
    program.parse(process.argv.slice(2), { from: "user" });
  } catch {
    process.exit(EXIT_USAGE);
  }
  const opts = program.opts<{ sizeMb: string; adversarialScale: string; repeat: string; adversarial: boolean; plan: boolean; keep?: boolean; child?: string }>();
  if (opts.child) return child(opts.child, program.args[0]);

  const parsed = z.object({ sizeMb: z.coerce.number().positive(), adversarialScale: z.coerce.number().positive(), repeat: z.coerce.number().int().min(1).max(20) }).safeParse(opts);
  if (!parsed.success) {
    process.stderr.write("bench: --size-mb and --adversarial-scale must be positive numbers, --repeat a whole number from 1 to 20\n");
    process.exit(EXIT_USAGE);
  }
  const { sizeMb, adversarialScale, repeat } = parsed.data;
  // The validator's "auto" starts worker threads only when a core is idle (data/executor.ts), so
  // the idle CPU is printed beside the load average.
  const loadBefore = `${load()} (idle cores measured: ${fmt(await idleCores(500), 2)})`;
  console.log(`load average (1, 5, 15 min) before: ${loadBefore}; ${repeat} round(s), each case keeps its fastest run`);
  const dir = path.resolve(ROOT, ".bench");
  mkdirSync(dir, { recursive: true });
  const big = path.join(dir, `bench-${process.pid}.jsonl`);
  let adversarial: Adversarial[] = [];
  try {
    const t = Date.now();
    const pools = benchPools();
    const written = await writeBenchFile(big, sizeMb * MB, pools);
    console.log(`generated ${big} from ${pools.source}: ${(written.bytes / MB).toFixed(0)} MB, ${written.lines.toLocaleString("en-US")} lines in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const runs: Record<string, Measurement[]> = { b: [], a: [], c: [], p: [] };
    let pythonSkipped: string | null = null;
    for (let round = 1; round <= repeat; round++) {
      for (const [mode, label] of [
        ["b", "(b) bare read + split + JSON.parse"],
        ["a", "(a) validator, --no-tokens"],
        ["c", "(c) validator, exact token counts"],
      ] as const) {
        const m = measure(mode, big);
        runs[mode].push(m);
        const threads = m.workers === undefined ? "" : m.workers === 0 ? ", main thread" : `, ${m.workers} workers`;
        console.log(`${round}: ${label.padEnd(40)} ${fmt(speed(m)).padStart(7)} MB/s  cpu ${fmt(m.cpuMs / 1000)} s  peak RSS ${fmt(m.maxRssMB, 0).padStart(4)} MB  (${m.lines.toLocaleString("en-US")} lines, ${m.errors} errors${threads})`);
      }
      if (pythonSkipped) continue;
      const p = measurePython(big);
      if (typeof p === "string") {
        pythonSkipped = p;
        console.log(`(p) cookbook-style Python checker: skipped, ${p}`);
      } else {
        runs.p.push(p);
        console.log(`${round}: ${"(p) cookbook-style Python checker".padEnd(40)} ${fmt(speed(p)).padStart(7)} MB/s  peak RSS ${fmt(p.maxRssMB, 0).padStart(4)} MB  (${p.lines.toLocaleString("en-US")} lines, ${p.errors} errors)`);
      }
    }
    const results = { b: best(runs.b), a: best(runs.a), c: best(runs.c) };
    const python: Measurement | string = pythonSkipped ?? best(runs.p);
    if (!opts.keep) rmSync(big, { force: true });

    const rows: [string, string, string, boolean][] = [];
    const a = speed(results.a);
    const b = speed(results.b);
    const c = speed(results.c);
    rows.push(["(a) --no-tokens vs (b) bare loop", `${fmt(a / b, 2)} × (${fmt(a)} vs ${fmt(b)} MB/s)`, "≥ 0.5 ×", a / b >= 0.5]);
    rows.push(["(c) exact counts vs (b) bare loop", `${fmt(c / b, 2)} × (${fmt(c)} MB/s)`, "≥ 0.33 ×", c / b >= 0.33]);
    if (typeof python !== "string") rows.push(["(c) exact counts vs (p) Python checker", `${fmt(c / speed(python), 2)} × (p: ${fmt(speed(python))} MB/s)`, "≥ 3 ×", c / speed(python) >= 3]);
    else rows.push(["(c) exact counts vs (p) Python checker", `skipped: ${python}`, "≥ 3 ×", false]);
    rows.push(["(c) peak RSS", `${fmt(results.c.maxRssMB, 0)} MB`, `< ${RSS_LIMIT_MB} MB`, results.c.maxRssMB < RSS_LIMIT_MB]);

    if (opts.adversarial) {
      adversarial = await writeAdversarialFiles(dir, adversarialScale, sizeMb * MB);
      for (const adv of adversarial) {
        // The bare loop on the same file too (not a target): how fast any parse-every-line tool can read it.
        const all: Measurement[] = [];
        const bares: Measurement[] = [];
        for (let round = 1; round <= repeat; round++) {
          bares.push(measure("b", adv.file));
          all.push(measure("c", adv.file));
        }
        const m = best(all);
        const bare = speed(best(bares));
        // Complete only if every run reported every line and every error.
        const complete = all.every((r) => r.lines === adv.expect.lines && r.errors === adv.expect.errors);
        console.log(`${`adversarial: ${adv.name}`.padEnd(52)} ${fmt(speed(m)).padStart(7)} MB/s  peak RSS ${fmt(m.maxRssMB, 0).padStart(4)} MB  report ${complete ? "complete" : `INCOMPLETE (${m.lines} lines, ${m.errors} errors)`}  (${m.workers ? `${m.workers} workers` : "main thread"}; bare loop on it: ${fmt(bare)} MB/s)`);
        rows.push([
          `${adv.name}: MB/s vs (c), RSS, report`,
          `${fmt(speed(m) / c, 2)} × (${fmt(speed(m))} MB/s; bare loop on it ${fmt(bare)} MB/s), ${fmt(m.maxRssMB, 0)} MB, ${complete ? "complete" : "incomplete"}`,
          "≥ 1 ×, < 256 MB, complete",
          speed(m) >= c && m.maxRssMB < RSS_LIMIT_MB && complete,
        ]);
      }
    }
    if (opts.plan) {
      const p = measurePlan();
      console.log(`npm run plan (dev stack), best of 3: ${fmt(p.wallMs / 1000, 2)} s wall, ${fmt(p.cpuMs / 1000, 2)} s CPU`);
      rows.push(["`npm run plan` (dev stack), best of 3", `${fmt(p.wallMs / 1000, 2)} s`, "< 3 s (idle machine)", p.wallMs < 3000]);
    }

    console.log("\n| measure | result | target | |\n|---|---|---|---|");
    for (const [what, result, target, ok] of rows) console.log(`| ${what} | ${result} | ${target} | ${verdict(ok)} |`);
    console.log(`\n(b) ${fmt(b)} MB/s, (a) ${fmt(a)} MB/s, (c) ${fmt(c)} MB/s${typeof python === "string" ? "" : `, (p) ${fmt(speed(python))} MB/s`}; best of ${repeat}; load average before ${loadBefore}, after ${load()} (idle cores measured: ${fmt(await idleCores(500), 2)}); Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  } finally {
    if (!opts.keep) {
      rmSync(big, { force: true });
      for (const adv of adversarial) rmSync(adv.file, { force: true });
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${errorMessage(e)}\n`);
  process.exitCode = 1;
});
