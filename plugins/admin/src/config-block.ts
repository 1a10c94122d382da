/** getBrokerConfig / getNamesrvConfig layout: `============addr============` then `key  =  value` lines. */
export function printConfigBlock(title: string, config: Record<string, string>): string {
  const lines = Object.keys(config)
    .sort()
    .map((k) => `${k.padEnd(50)}=  ${config[k]}`.trimEnd());
  return [`============${title}============`, ...lines].join('\n');
}
