import type { Command } from '@oclif/core';
import { RockitCommand } from '@rockit/cli';
import type { AdminClient } from '@rockit/client/admin';

/**
 * The base of every admin command: RockitCommand's connection flags plus one started AdminClient per run,
 * shut down afterwards whatever happens (so a failed call never leaves sockets keeping the process alive).
 */
export abstract class AdminCommand<T extends typeof Command = typeof Command> extends RockitCommand<T> {
  // Restated so this class has an own static: oclif's manifest walks the class chain only while each class has
  // one, and a command below a static-less class (via MaintenanceCommand) would lose the global flags and --json.
  static override enableJsonFlag = true;

  private admin: AdminClient | undefined;

  protected async withAdmin<R>(fn: (admin: AdminClient) => Promise<R>): Promise<R> {
    const { AdminClient } = await import('@rockit/client/admin');
    const { namesrvAddrs, timeoutMillis, credentials } = this.connection();
    // With credentials every request is signed (plain ACL), as mqadmin does with tools.yml's key pair.
    const admin = new AdminClient({
      namesrvAddr: namesrvAddrs,
      adminTimeoutMillis: timeoutMillis,
      mqClientApiTimeout: timeoutMillis,
      ...(credentials !== undefined ? { credentials } : {}),
    });
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
