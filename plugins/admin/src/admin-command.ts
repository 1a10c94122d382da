import type { Command } from '@oclif/core';
import { RockitCommand } from '@rockit/cli';
import type { AdminClient } from '@rockit/client/admin';

/**
 * The base of every admin command: RockitCommand's connection flags plus one started AdminClient per run,
 * shut down afterwards whatever happens (so a failed call never leaves sockets keeping the process alive).
 */
export abstract class AdminCommand<T extends typeof Command = typeof Command> extends RockitCommand<T> {
  private admin: AdminClient | undefined;

  protected async withAdmin<R>(fn: (admin: AdminClient) => Promise<R>): Promise<R> {
    const { AdminClient } = await import('@rockit/client/admin');
    const { namesrvAddrs, timeoutMillis, credentials } = this.connection();
    // The client has no ACL signing hook yet: refuse rather than send unsigned requests an ACL broker rejects.
    if (credentials !== undefined) throw new Error('ACL credentials were given, but @rockit/client cannot sign requests yet; use a cluster without ACL');
    const admin = new AdminClient({ namesrvAddr: namesrvAddrs, adminTimeoutMillis: timeoutMillis, mqClientApiTimeout: timeoutMillis });
    this.admin = admin;
    await admin.start();
    try {
      return await fn(admin);
    } finally {
      this.admin = undefined;
      await admin.shutdown();
    }
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    if (this.admin !== undefined) await this.admin.shutdown().catch(() => undefined);
    return super.finally(err);
  }
}
