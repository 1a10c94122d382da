import { table } from '@rockit/cli';
import type { Connection, ConsumerConnection } from '@rockit/client/admin';
import { versionDesc } from './ops/groups.js';

export function renderConnections(connections: readonly Connection[]): string {
  return table(
    connections.map((c, i) => ({ ...c, n: String(i + 1).padStart(3, '0'), v: versionDesc(c.version) })),
    [
      { header: '#', key: 'n' },
      { header: '#ClientId', key: 'clientId', minWidth: 32 },
      { header: '#ClientAddr', key: 'clientAddr', minWidth: 22 },
      { header: '#Language', key: 'language', minWidth: 10 },
      { header: '#Version', key: 'v' },
    ],
  );
}

/** consumerConnection: connections, the subscriptions, then the consume type/model/where lines. */
export function renderConsumerConnection(cc: ConsumerConnection): string {
  const subs = Object.entries(cc.subscriptionTable).map(([topic, s], i) => {
    const sub = s as { subString?: string; expressionType?: string };
    return `${String(i + 1).padStart(3, '0')}  Topic: ${topic.padEnd(40)} SubExpression: ${sub.subString ?? ''}`;
  });
  return [
    renderConnections(cc.connectionSet),
    '',
    'Below is subscription:',
    ...subs,
    '',
    `ConsumeType: ${cc.consumeType ?? ''}`,
    `MessageModel: ${cc.messageModel ?? ''}`,
    `ConsumeFromWhere: ${cc.consumeFromWhere ?? ''}`,
  ].join('\n');
}
