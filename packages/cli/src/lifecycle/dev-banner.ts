import { color } from '../render/color.js';
import { kv } from '../render/kv.js';
import type { DevEndpoints } from '../commands/dev.js';

/** The first command id under `topic` (produce, consume) once a plugin provides one. */
function commandUnder(commands: readonly string[], topic: string): string | undefined {
  return commands.find((id) => id === topic) ?? commands.filter((id) => id.startsWith(`${topic}:`)).sort()[0];
}

/** What `rockit dev` prints once it runs: endpoints, then copy-paste lines for producing and consuming. */
export function devBanner(e: DevEndpoints, o: { topics: readonly string[]; commands: readonly string[] }): string {
  const addr = e.namesrvAddr;
  const topic = o.topics[0] ?? 'TopicTest';
  const lines = [
    `${color.ok('rockit dev is running')} ${color.dim(`(${e.store} store, data in ${e.dataDir})`)}`,
    '',
    kv([
      ['name server', color.accent(addr)],
      ...e.brokers.map((b): [string, string] => ['broker', `${b.brokerName}  ${color.accent(b.addr)}  ${color.dim(`cluster ${b.clusterName}`)}`]),
      ...(o.topics.length > 0 ? [['topics', o.topics.join(', ')] as [string, string]] : []),
    ]),
    '',
    'Point clients at it:',
    `  export NAMESRV_ADDR=${addr}`,
  ];
  const produce = commandUnder(o.commands, 'produce');
  const consume = commandUnder(o.commands, 'consume');
  if (produce === 'produce' && consume === 'consume') {
    // The plugins' own commands, as their examples show them.
    lines.push(
      `  rockit produce ${topic} -n ${addr} --body "hello" --tag TagA`,
      `  rockit consume ${topic} -n ${addr} -g demo_group --from first`,
    );
  } else if (produce !== undefined && consume !== undefined) {
    lines.push(`  rockit ${produce.replaceAll(':', ' ')} -n ${addr} --help`, `  rockit ${consume.replaceAll(':', ' ')} -n ${addr} --help`);
  }
  lines.push(
    '  Java, from an Apache RocketMQ distribution (topics are auto-created):',
    '    sh bin/tools.sh org.apache.rocketmq.example.quickstart.Producer',
    '    sh bin/tools.sh org.apache.rocketmq.example.quickstart.Consumer',
    `  Node.js (ali-ons; it needs the topic to exist${o.topics.length > 0 ? '' : `: rockit dev -t ${topic}`}):`,
    `    new Producer({ nameSrv: '${addr}', httpclient: true, producerGroup: 'PID_demo' })`,
    `    new Consumer({ nameSrv: '${addr}', httpclient: true, consumerGroup: 'CID_demo' }).subscribe('${topic}', '*', handler)`,
    '',
    color.dim(`Ctrl-C stops it${e.store === 'file' ? `; messages stay in ${e.dataDir} for the next start` : ''}.`),
  );
  return lines.join('\n');
}
