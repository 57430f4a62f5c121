/**
 * Where a command's time goes, stage by stage: `--verbose` prints it and the JSON report carries it under `timings`
 * (the benchmark reads the same figures). One recorder is created at the command's entry and passed forward through
 * the stages, each of which times itself; nothing is global. Stages are timed on the command's main line, one
 * after the other, so they add up to the total: work started earlier in the background (a server engine created
 * while the files are parsed) counts as the time the main line waited for it, and says so in its detail.
 */

/** The stages, in pipeline order. The names are part of the JSON contract: add, never rename. */
export const STAGES = [
  'start-up',
  'load',
  'config',
  'discovery',
  'parse',
  'engine start',
  'baseline',
  'replay',
  'dump',
  'snapshot load',
  'model build',
  'diff',
  'confirmation',
  'attribution',
  'second pass',
  'engine close',
  'lint',
  'docs',
  'report',
] as const;

export type StageName = (typeof STAGES)[number];

/** One migration file's replay time (shown with `--verbose=2`). */
export interface FileTiming {
  file: string;
  ms: number;
  status: string;
}

export interface StageTiming {
  stage: StageName;
  /** milliseconds, rounded to 0.1 */
  ms: number;
  /** what the stage did, for people: "24 files, runner numbered", "pglite, cache hit" */
  detail: string;
  /** for a stage run once per side (model build): which side */
  side?: string;
  /** the replay's files, one by one */
  files?: FileTiming[];
}

/** The `timings` of the JSON report. */
export interface Timings {
  /** from process start to the end of the last stage recorded */
  totalMs: number;
  stages: StageTiming[];
}

type Detail<T> = string | ((result: T) => string);

/** A small typed recorder; `performance.now()` counts from process start, so the total includes start-up. */
export class TimingRecorder {
  readonly stages: StageTiming[] = [];
  private lastEnd: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.lastEnd = now();
    // Start-up: Node, module loading and argument parsing before the command began.
    this.stages.push({ stage: 'start-up', ms: round(this.lastEnd), detail: 'node, modules, arguments' });
  }

  /**
   * Times an async stage; `detail` may be computed from its result. The stage is recorded even when it throws.
   * `start`: when the stage's work began, if before this call (its preparation, done on the main line).
   */
  async time<T>(stage: StageName, run: () => Promise<T>, detail: Detail<T> = '', extra: Pick<StageTiming, 'side'> = {}, start: number = this.now()): Promise<T> {
    let result: T | undefined;
    let failed = false;
    try {
      result = await run();
      return result;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      this.record(stage, start, this.now(), failed ? 'failed' : describe(detail, result as T), extra);
    }
  }

  /** Times a synchronous stage. */
  timeSync<T>(stage: StageName, run: () => T, detail: Detail<T> = '', extra: Pick<StageTiming, 'side'> = {}): T {
    const start = this.now();
    let result: T | undefined;
    let failed = false;
    try {
      result = run();
      return result;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      this.record(stage, start, this.now(), failed ? 'failed' : describe(detail, result as T), extra);
    }
  }

  /** Records a stage measured by its owner (e.g. the replay's baseline part), ending now. */
  add(stage: StageName, ms: number, detail: string, extra: Pick<StageTiming, 'side' | 'files'> = {}): void {
    const end = this.now();
    this.record(stage, end - ms, end, detail, extra);
  }

  /** Adds to the detail of the last record of a stage (what was learnt after it ended, e.g. the engine's cache state). */
  note(stage: StageName, detail: string): void {
    const entry = [...this.stages].reverse().find((s) => s.stage === stage);
    if (entry) entry.detail = entry.detail ? `${entry.detail}, ${detail}` : detail;
  }

  summary(): Timings {
    return { totalMs: round(this.lastEnd), stages: this.stages.map((s) => ({ ...s, ...(s.files ? { files: s.files.map((f) => ({ ...f })) } : {}) })) };
  }

  private record(stage: StageName, start: number, end: number, detail: string, extra: Pick<StageTiming, 'side' | 'files'>): void {
    this.stages.push({ stage, ms: round(end - start), detail, ...extra });
    this.lastEnd = Math.max(this.lastEnd, end);
  }
}

function describe<T>(detail: Detail<T>, result: T): string {
  return typeof detail === 'function' ? detail(result) : detail;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** The `--verbose` lines: one per stage (`--verbose=2`: and one per replayed file), then the total. */
export function formatTimings(timings: Timings, level: number): string[] {
  const width = Math.max(...timings.stages.map((s) => label(s).length));
  const lines: string[] = [];
  for (const stage of timings.stages) {
    lines.push(`${label(stage).padEnd(width)} ${ms(stage.ms).padStart(9)}${stage.detail ? `  ${stage.detail}` : ''}`);
    if (level >= 2) for (const file of stage.files ?? []) lines.push(`  ${file.file} ${ms(file.ms)} ${file.status}`);
  }
  const sum = timings.stages.reduce((total, s) => total + s.ms, 0);
  lines.push(`${'total'.padEnd(width)} ${ms(timings.totalMs).padStart(9)}  (stages add up to ${ms(sum)})`);
  return lines;
}

const label = (stage: StageTiming) => (stage.side ? `${stage.stage} (${stage.side})` : stage.stage);
const ms = (value: number) => `${Math.round(value)} ms`;
