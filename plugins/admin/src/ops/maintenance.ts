import type { AdminClient } from '@rockit/client/admin';

/** The broker maintenance requests mqadmin sends to one broker (-b) or to every master of a cluster (-c) or of all. */
export type MaintenanceTask = 'cleanExpiredConsumeQueue' | 'cleanUnusedTopic' | 'deleteExpiredCommitLog';

/**
 * Runs `task` on `-b` brokerAddr, else on every master of `-c` cluster, else (as mqadmin) on every master the name
 * server knows. Returns the brokers it ran on; a broker that refuses fails the whole command with its reason.
 */
export async function runMaintenance(admin: AdminClient, task: MaintenanceTask, brokerAddr: string | undefined, cluster: string | undefined): Promise<string[]> {
  const brokers = brokerAddr !== undefined ? [brokerAddr] : await admin.clusterMasters(cluster);
  if (brokers.length === 0) throw new Error(cluster === undefined ? 'the name server knows no master broker' : `cluster ${cluster} has no master broker`);
  for (const addr of brokers) await admin[task](addr);
  return brokers;
}
