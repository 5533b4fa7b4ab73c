/**
 * Running statistics of one file in constant memory: token counts go into an exact histogram
 * (one Uint32 per token count up to HISTOGRAM_MAX, larger counts share the last bucket and the
 * exact max is kept aside), so median and p95 need no list of every example.
 */
import type { FileStats, TokenDistribution } from "./types";
import type { ExampleInfo } from "./formats/common";

const HISTOGRAM_MAX = 262_144;

export class FileStatsAccumulator {
  bytes = 0;
  lines = 0;
  emptyLines = 0;
  examples = 0;
  validExamples = 0;
  private msgMin = Infinity;
  private msgMax = 0;
  private msgSum = 0;
  private system = 0;
  private user = 0;
  private assistant = 0;
  private histogram: Uint32Array | null = null;
  private tokMin = Infinity;
  private tokMax = 0;
  tokenTotal = 0;
  private tokenExamples = 0;

  constructor(
    readonly file: string,
    private readonly chat: boolean,
  ) {}

  addValid(info: ExampleInfo): void {
    this.validExamples++;
    if (this.chat) {
      if (info.messages < this.msgMin) this.msgMin = info.messages;
      if (info.messages > this.msgMax) this.msgMax = info.messages;
      this.msgSum += info.messages;
      this.system += info.system;
      this.user += info.user;
      this.assistant += info.assistant;
    }
    if (info.tokens >= 0) {
      const t = info.tokens;
      if (!this.histogram) this.histogram = new Uint32Array(HISTOGRAM_MAX + 1);
      this.histogram[t < HISTOGRAM_MAX ? t : HISTOGRAM_MAX]++;
      if (t < this.tokMin) this.tokMin = t;
      if (t > this.tokMax) this.tokMax = t;
      this.tokenTotal += t;
      this.tokenExamples++;
    }
  }

  private percentile(p: number): number {
    const h = this.histogram;
    if (!h || this.tokenExamples === 0) return 0;
    const rank = Math.max(1, Math.ceil(p * this.tokenExamples));
    let seen = 0;
    for (let t = 0; t < h.length; t++) {
      seen += h[t];
      if (seen >= rank) return t === HISTOGRAM_MAX ? this.tokMax : t;
    }
    return this.tokMax;
  }

  tokens(): TokenDistribution | null {
    if (this.tokenExamples === 0) return null;
    return { min: this.tokMin, median: this.percentile(0.5), p95: this.percentile(0.95), max: this.tokMax, total: this.tokenTotal };
  }

  toJSON(): FileStats {
    const v = this.validExamples;
    return {
      file: this.file,
      bytes: this.bytes,
      lines: this.lines,
      emptyLines: this.emptyLines,
      examples: this.examples,
      validExamples: v,
      messagesPerExample: this.chat && v > 0 ? { min: this.msgMin, mean: Math.round((this.msgSum / v) * 100) / 100, max: this.msgMax } : null,
      roles: this.chat ? { system: this.system, user: this.user, assistant: this.assistant } : null,
      tokensPerExample: this.tokens(),
    };
  }
}
