import { isPlainProgress, progress } from '@rockit/cli';

/**
 * The per-interval line: a listr2 task whose status line is replaced in place on a terminal, plain lines
 * (one per interval, no escape codes) when piped or on CI. Always on stderr, so stdout stays the summary or JSON.
 */
export class LiveStatus {
  private readonly plain: boolean;
  private report: ((line: string) => void) | undefined;
  private finish: (() => void) | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly title: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    // A pseudo-terminal without a size (script(1), some CI runners) would wrap the status line at every character.
    this.plain = isPlainProgress(stream) || !(stream.columns > 0);
  }

  start(): void {
    if (this.plain) {
      this.stream.write(`${this.title}\n`);
      return;
    }
    const finished = new Promise<void>((resolve) => (this.finish = resolve));
    this.running = progress([
      {
        title: this.title,
        run: async (_ctx, report) => {
          this.report = report;
          await finished;
        },
      },
    ]);
  }

  update(line: string): void {
    if (this.plain) this.stream.write(`${line}\n`);
    else this.report?.(line);
  }

  async stop(): Promise<void> {
    this.finish?.();
    await this.running;
  }
}
