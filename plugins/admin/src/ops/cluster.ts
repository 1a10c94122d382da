import type { AdminClient } from '@rockit/client/admin';

export interface ClusterBrokerRow {
  cluster: string;
  brokerName: string;
  brokerId: number;
  addr: string;
  version: string;
  inTps: number;
  outTps: number;
  sendQueue: string;
  pullQueue: string;
  sendWaitMs: string;
  pullWaitMs: string;
  pageCacheLockTimeMills: string;
  /** Hours since the earliest stored message. */
  hours: number;
  /** commitLogDiskRatio. */
  space: number;
  /** Runtime info could not be read (broker down). */
  error?: string;
}

const firstNumber = (v: string | undefined): number => Number((v ?? '0').split(' ')[0]) || 0;

/** clusterList's rows: every broker of every cluster (brokers sorted by name), with its runtime stats. */
export async function clusterBrokers(admin: AdminClient, onlyCluster?: string): Promise<ClusterBrokerRow[]> {
  const info = await admin.getClusterInfo();
  const rows: ClusterBrokerRow[] = [];
  for (const [cluster, names] of info.clusterAddrTable) {
    if (onlyCluster !== undefined && cluster !== onlyCluster) continue;
    for (const brokerName of [...names].sort()) {
      const bd = info.brokerAddrTable.get(brokerName);
      if (bd === undefined) continue;
      for (const [brokerId, addr] of bd.brokerAddrs) {
        const row: ClusterBrokerRow = {
          cluster, brokerName, brokerId, addr, version: '', inTps: 0, outTps: 0, sendQueue: '', pullQueue: '',
          sendWaitMs: '', pullWaitMs: '', pageCacheLockTimeMills: '', hours: 0, space: 0,
        };
        try {
          const t = await admin.getBrokerRuntimeInfo(addr);
          row.version = t.get('brokerVersionDesc') ?? '';
          row.inTps = firstNumber(t.get('putTps'));
          row.outTps = firstNumber(t.get('getTransferedTps'));
          row.sendQueue = t.get('sendThreadPoolQueueSize') ?? '';
          row.pullQueue = t.get('pullThreadPoolQueueSize') ?? '';
          row.sendWaitMs = t.get('sendThreadPoolQueueHeadWaitTimeMills') ?? '';
          row.pullWaitMs = t.get('pullThreadPoolQueueHeadWaitTimeMills') ?? '';
          row.pageCacheLockTimeMills = t.get('pageCacheLockTimeMills') ?? '';
          const earliest = t.get('earliestMessageTimeStamp');
          if (earliest !== undefined && Number(earliest) > 0) row.hours = (Date.now() - Number(earliest)) / 3_600_000;
          row.space = Number(t.get('commitLogDiskRatio') ?? 0) || 0;
        } catch (err) {
          row.error = (err as Error).message;
        }
        rows.push(row);
      }
    }
  }
  return rows;
}
