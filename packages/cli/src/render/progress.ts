export interface ProgressStep<Ctx> {
  title: string;
  /** `report` shows a one-line status under the step (e.g. "12/40 queues"). */
  run: (ctx: Ctx, report: (status: string) => void) => unknown;
  /** Return a reason (or true) to skip the step. */
  skip?: (ctx: Ctx) => boolean | string;
}

export interface ProgressOptions<Ctx> {
  ctx?: Ctx;
  /** Run steps in parallel (default: one after another). */
  concurrent?: boolean;
  /** Where progress goes; stderr by default so `--json` output on stdout stays clean. */
  stream?: NodeJS.WriteStream;
  /** Force plain `✔ step` lines; by default plain when CI is set or the stream is not a terminal. */
  plain?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Plain lines instead of a live-updating view: on CI, and whenever nobody is watching a terminal. */
export function isPlainProgress(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') || stream.isTTY !== true;
}

/**
 * Runs steps with listr2's task list. listr2 is imported on first use so commands that
 * never show progress do not pay for it at startup. The first failing step rejects.
 */
export async function progress<Ctx extends object = Record<string, unknown>>(
  steps: readonly ProgressStep<Ctx>[],
  options: ProgressOptions<Ctx> = {},
): Promise<Ctx> {
  const { Listr, ListrLogger, ProcessOutput } = await import('listr2');
  const stream = options.stream ?? process.stderr;
  const plain = options.plain ?? isPlainProgress(stream, options.env);
  const processOutput = new ProcessOutput(stream, stream);
  const logger = new ListrLogger({ useIcons: true, processOutput });
  const list = new Listr<Ctx>(
    steps.map((step) => ({
      title: step.title,
      skip: step.skip ? (ctx: Ctx) => step.skip!(ctx) : undefined,
      task: async (ctx: Ctx, task) => {
        await step.run(ctx, (status) => {
          task.output = status;
        });
      },
    })),
    {
      concurrent: options.concurrent ?? false,
      exitOnError: true,
      registerSignalListeners: false,
      renderer: 'default',
      rendererOptions: { logger },
      fallbackRenderer: 'simple',
      fallbackRendererOptions: { logger },
      fallbackRendererCondition: plain,
      ctx: options.ctx,
    },
  );
  return list.run(options.ctx);
}
