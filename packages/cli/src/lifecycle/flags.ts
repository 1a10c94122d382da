/** Flags the lifecycle commands share (light module: command files import it at top level). */
import { Flags } from '@oclif/core';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'];

export const logLevelFlag = (summary = 'pino level [default: $ROCKIT_LOG_LEVEL, then info].', defaultLevel?: string) =>
  Flags.string({ summary, options: LOG_LEVELS, ...(defaultLevel !== undefined ? { default: defaultLevel } : {}) });

/** --data-dir of `rockit cluster stop|status|logs`: where `cluster start` put cluster.json. */
export const clusterDataDirFlag = () =>
  Flags.string({ summary: 'The data dir the cluster was started with [default: ~/.rockit/cluster].' });
