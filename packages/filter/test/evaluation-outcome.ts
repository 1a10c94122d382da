import { FilterEvaluationError } from '@rockit/filter';

/** A three-valued result, or `abort` when RocketMQ's evaluation would throw (no match). */
export type Outcome = boolean | null | 'abort';

export function outcomeOf(run: () => boolean | null): Outcome {
  try {
    return run();
  } catch (e) {
    if (e instanceof FilterEvaluationError) return 'abort';
    throw e;
  }
}
