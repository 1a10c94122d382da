import type { Command } from '@oclif/core';
import { RockitCommand, UsageError } from '@rockit/cli';
import type { BenchOutput, RawRunFlags, RunSettings } from './bench-run.js';
import type { BenchKind, BenchReport } from './report.js';

/**
 * The base of the `rockit bench` commands: reads the common flags into run settings, and prints what a run
 * produced (summary, comparison, assertion verdicts) with the exit code CI needs. Heavy modules load in run().
 */
export abstract class BenchCommand<T extends typeof Command> extends RockitCommand<T> {
  protected async settings(kind: BenchKind, config: Record<string, unknown>): Promise<RunSettings> {
    const { runSettings } = await import('./bench-run.js');
    try {
      return runSettings(kind, this.flags as unknown as RawRunFlags, this.connection(), this.config.root, config);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }

  /** Prints the run's outcome; exits 1 naming the failed assertions when any failed. */
  protected async finish(output: BenchOutput): Promise<BenchReport> {
    const { renderAssertions, renderComparison, renderSummary } = await import('./summary.js');
    const { report, comparison } = output;
    if (!this.jsonEnabled()) {
      this.log(renderSummary(report));
      if (comparison) this.log(`\nAgainst ${(this.flags as unknown as RawRunFlags).compare}:\n${renderComparison(comparison)}`);
      if (report.assertions?.length) this.log(`\n${renderAssertions(report)}`);
    } else if (comparison) {
      (report as BenchReport & { comparison?: unknown }).comparison = comparison;
    }
    const failed = (report.assertions ?? []).filter((a) => !a.ok);
    if (failed.length > 0) {
      if (this.jsonEnabled()) this.logJson(report);
      for (const a of failed) {
        process.stderr.write(`error: assertion failed: ${a.expression} (actual ${Number.isInteger(a.actual) ? a.actual : a.actual.toFixed(3)} ${a.unit})\n`);
      }
      this.exit(1);
    }
    return report;
  }
}
