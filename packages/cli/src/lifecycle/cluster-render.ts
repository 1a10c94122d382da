import { color } from '../render/color.js';
import { formatBytes } from '../render/format.js';
import { table } from '../render/table.js';

export interface NodeRow {
  name: string;
  role: string;
  addr: string;
  pid?: number;
  state: string;
  registered?: string;
  diskBytes?: number;
}

function stateCell(state: string): string {
  if (state === 'running') return color.ok(state);
  if (state === 'dead' || state === 'not answering') return color.error(state);
  return state;
}

/** The nodes of a cluster as an aligned table (status adds registration and disk use). */
export function clusterTable(rows: readonly NodeRow[], o: { status?: boolean } = {}): string {
  return table(rows, [
    { header: 'NAME', key: 'name' },
    { header: 'ROLE', key: 'role' },
    { header: 'ADDRESS', key: 'addr' },
    { header: 'PID', get: (r) => r.pid ?? '-', align: 'right' },
    { header: 'STATE', get: (r) => stateCell(r.state) },
    ...(o.status
      ? [
          { header: 'REGISTERED', get: (r: NodeRow) => r.registered ?? '' },
          { header: 'DISK', get: (r: NodeRow) => (r.diskBytes === undefined ? '' : formatBytes(r.diskBytes)), align: 'right' as const },
        ]
      : []),
  ]);
}
