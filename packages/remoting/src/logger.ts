import { createLogger, type Logger } from '@rockit/common';

export type { Logger };
/** The package's logger; servers and clients accept their own through their options. */
export const remotingLogger: Logger = createLogger('remoting');
