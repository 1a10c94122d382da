import { MQClientError, type AdminClient } from '@rockit/client/admin';
import { UsageError } from '@rockit/cli';

/** The brokers a `-b addr` / `-c cluster` command acts on (mqadmin: one of them is required). */
export async function brokerTargets(admin: AdminClient, brokerAddr: string | undefined, cluster: string | undefined): Promise<string[]> {
  if (brokerAddr !== undefined) return [brokerAddr];
  if (cluster === undefined) throw new UsageError('one of -b (broker address) or -c (cluster name) is required');
  const masters = await admin.clusterMasters(cluster);
  if (masters.length === 0) throw new MQClientError(`cluster ${cluster} has no master broker`);
  return masters;
}

/** Broker name -> master address, for commands that name a broker (-b brokerName). */
export async function masterOfBrokerName(admin: AdminClient, brokerName: string): Promise<string> {
  const info = await admin.getClusterInfo();
  const addr = info.brokerAddrTable.get(brokerName)?.brokerAddrs.get(0);
  if (addr === undefined) throw new MQClientError(`no broker named ${brokerName} is registered`);
  return addr;
}

/** Local `yyyy-MM-dd HH:mm:ss` (UtilAll.YYYY_MM_DD_HH_MM_SS); `SSS` millis when asked. */
export function formatDate(millis: number, withMillis = false): string {
  const d = new Date(millis);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return withMillis ? `${base},${p(d.getMilliseconds(), 3)}` : base;
}

/** mqadmin's time arguments: epoch millis, `now`, or `yyyy-MM-dd#HH:mm:ss:SSS` (local time). */
export function parseTimestamp(text: string): number {
  if (text === 'now') return Date.now();
  if (/^-?\d+$/.test(text)) return Number(text);
  const m = /^(\d{4})-(\d{2})-(\d{2})#(\d{2}):(\d{2}):(\d{2}):(\d{3})$/.exec(text);
  if (!m) throw new UsageError(`bad time ${text}: use epoch milliseconds, now, or yyyy-MM-dd#HH:mm:ss:SSS`);
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}
