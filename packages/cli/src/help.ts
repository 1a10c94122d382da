import { Help, type Command, type Interfaces } from '@oclif/core';

interface Entry {
  name: string;
  description: string;
}

/** Section title for a plugin: @rockit/plugin-admin -> ADMIN, @rockit/cli -> ROCKIT. */
function sectionTitle(pluginName: string, bin: string): string {
  if (pluginName === '@rockit/cli') return bin.toUpperCase();
  const short = pluginName.replace(/^@[^/]+\//, '').replace(/^plugin-/, '');
  return short.toUpperCase();
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.trim();
}

/**
 * `rockit --help` grouped by plugin: each plugin gets a section with its top-level topics and
 * commands: rockit's plugins first, in the order the root package.json lists them. A topic a plugin declares
 * before it has any command is still listed, marked as such, so the help never shows a
 * command that does not exist.
 */
export default class RockitHelp extends Help {
  private pluginEntries(plugin: Interfaces.Plugin): Entry[] {
    const commands = plugin.commands.filter((c: Command.Loadable) => !c.hidden);
    const names = new Set<string>();
    for (const c of commands) names.add(c.id.split(':')[0]!);
    for (const t of plugin.topics) if (!t.hidden) names.add(t.name.split(':')[0]!);
    return [...names].sort().map((name) => {
      const exact = commands.find((c) => c.id === name);
      const below = commands.filter((c) => c.id.startsWith(`${name}:`));
      const topic = this.config.findTopic(name);
      let description = firstLine(exact?.summary ?? exact?.description ?? topic?.description);
      if (!exact && below.length === 0) description = `${description} (no commands yet)`.trim();
      else if (below.length > 0 && !exact) description = `${description} (${below.length} command${below.length === 1 ? '' : 's'})`.trim();
      return { name, description };
    });
  }

  private orderedPlugins(): Interfaces.Plugin[] {
    const order: string[] = this.config.pjson.oclif.plugins ?? [];
    // rockit's own plugins first, then oclif's (help, plugins, autocomplete), then user-installed ones.
    const rank = (name: string): number => {
      const i = order.indexOf(name);
      return (i === -1 ? order.length : i) + (name.startsWith('@rockit/') ? 0 : order.length + 1);
    };
    return [...this.config.plugins.values()].sort((a, b) => rank(a.name) - rank(b.name));
  }

  protected override async showRootHelp(): Promise<void> {
    this.log(this.formatRoot());
    this.log('');
    const sections = this.orderedPlugins()
      .map((plugin) => ({ plugin, entries: this.pluginEntries(plugin) }))
      .filter(({ entries }) => entries.length > 0);
    const width = Math.max(...sections.flatMap(({ entries }) => entries.map((e) => e.name.length)));
    for (const { plugin, entries } of sections) {
      const header = `${sectionTitle(plugin.name, this.config.bin)} (${plugin.name})`;
      this.log(this.section(header, entries.map((e) => [e.name.padEnd(width), e.description])));
      this.log('');
    }
  }

  protected override async showTopicHelp(topic: Interfaces.Topic): Promise<void> {
    // Decided before rendering: oclif's topic help rewrites the command ids it shows to the ' ' separator.
    const hasChildren = this.config.commands.some((c) => !c.hidden && c.id.startsWith(`${topic.name}:`));
    await super.showTopicHelp(topic);
    if (!hasChildren) this.log('This topic has no commands yet.\n');
  }
}
