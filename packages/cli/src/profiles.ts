/**
 * Named connection profiles (`rockit config set-profile prod -n ...`, then `--profile prod` or ROCKIT_PROFILE on
 * any command): the name servers and ACL credentials of a cluster, kept in `$ROCKIT_HOME/profiles.json`
 * (default `~/.rockit`), readable by the user only since it may hold a secret key.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from './errors.js';
import { parseNamesrvList } from './namesrv.js';

export interface Profile {
  /** `host:port` entries separated by `;`, as -n takes them. */
  namesrvAddr: string;
  accessKey?: string;
  secretKey?: string;
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function profilesFile(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.ROCKIT_HOME?.trim();
  return join(home ? home : join(homedir(), '.rockit'), 'profiles.json');
}

export function readProfiles(file = profilesFile()): Record<string, Profile> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as { profiles?: Record<string, Profile> };
    return parsed.profiles ?? {};
  } catch (err) {
    throw new Error(`cannot read profiles from ${file}: ${(err as Error).message}`);
  }
}

function writeProfiles(profiles: Record<string, Profile>, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ profiles }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(`${file}.tmp`, 0o600);
  renameSync(`${file}.tmp`, file);
}

export function checkProfileName(name: string): void {
  if (!PROFILE_NAME.test(name)) throw new UsageError(`invalid profile name "${name}": letters, digits, "_", "." and "-" (up to 64)`);
}

export function saveProfile(name: string, profile: Profile, file = profilesFile()): void {
  checkProfileName(name);
  parseNamesrvList(profile.namesrvAddr);
  writeProfiles({ ...readProfiles(file), [name]: profile }, file);
}

/** Removes a profile; false when there was none by that name. */
export function deleteProfile(name: string, file = profilesFile()): boolean {
  const profiles = readProfiles(file);
  if (!Object.hasOwn(profiles, name)) return false;
  delete profiles[name];
  writeProfiles(profiles, file);
  return true;
}

/** The named profile, or a usage error listing the ones that exist. */
export function loadProfile(name: string, file = profilesFile()): Profile {
  const profiles = readProfiles(file);
  const profile = Object.hasOwn(profiles, name) ? profiles[name] : undefined;
  if (profile === undefined) {
    const known = Object.keys(profiles);
    throw new UsageError(
      `unknown profile "${name}" (${known.length > 0 ? `profiles: ${known.join(', ')}` : 'no profiles yet'}); ` +
        `create it with: rockit config set-profile ${name} -n host:9876`,
    );
  }
  return profile;
}
