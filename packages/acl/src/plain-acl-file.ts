/**
 * A plain_acl.yml a broker checks against and changes on request (UPDATE_AND_CREATE_ACL_CONFIG, DELETE_ACL_CONFIG,
 * UPDATE_GLOBAL_WHITE_ADDRS_CONFIG). Every change is validated as a whole file first, bumps the file's
 * `dataVersion`, and is written durably (temporary file, fsync, rename), so a failed change leaves the file as it was.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parsePlainAclConfig, PlainAclConfigError, type PlainAclConfig } from './plain-acl-config.js';

export interface AclDataVersion {
  counter: number;
  timestamp: number;
}

/** What UPDATE_AND_CREATE_ACL_CONFIG carries; absent fields keep the account's current values (as 4.9.8 merges). */
export interface PlainAccessConfigUpdate {
  accessKey: string;
  secretKey?: string;
  whiteRemoteAddress?: string;
  admin: boolean;
  defaultTopicPerm?: string;
  defaultGroupPerm?: string;
  topicPerms?: string[];
  groupPerms?: string[];
}

type Doc = Record<string, unknown> & { accounts?: Record<string, unknown>[]; globalWhiteRemoteAddresses?: string[]; dataVersion?: AclDataVersion[] };

export class PlainAclFile {
  private doc: Doc = {};
  /** mtime and size of the file as last read or written: what `reloadIfChanged` compares. */
  private stamp = '';
  config: PlainAclConfig = { globalWhiteRemoteAddresses: [], accounts: new Map() };

  constructor(readonly path: string) {
    this.load();
  }

  /** (Re)reads the file; throws PlainAclConfigError naming what is wrong, or the read error. */
  load(): void {
    const stamp = this.currentStamp();
    const text = readFileSync(this.path, 'utf8');
    this.config = parsePlainAclConfig(text);
    this.doc = ((parse(text) as Doc | null) ?? {}) as Doc;
    this.stamp = stamp;
  }

  /**
   * Re-reads the file when someone edited it since (RocketMQ watches its ACL files too). Returns true when the
   * accounts changed; a broken edit throws and the accounts in force stay as they were.
   */
  reloadIfChanged(): boolean {
    const stamp = this.currentStamp();
    if (stamp === this.stamp) return false;
    try {
      this.load();
    } finally {
      // A broken file is reported once, not on every check, until it changes again.
      this.stamp = stamp;
    }
    return true;
  }

  private currentStamp(): string {
    try {
      const st = statSync(this.path);
      return `${st.mtimeMs}:${st.size}`;
    } catch {
      // Gone (perhaps mid-replacement by an editor): reading it will say so, once.
      return 'missing';
    }
  }

  get dataVersion(): AclDataVersion {
    const v = this.doc.dataVersion?.[0];
    return { counter: Number(v?.counter ?? 0), timestamp: Number(v?.timestamp ?? 0) };
  }

  /** Creates the account, or merges the given fields into it. */
  updateAccount(update: PlainAccessConfigUpdate): void {
    this.change((doc) => {
      const accounts = (doc.accounts ??= []);
      let account = accounts.find((a) => String(a.accessKey) === update.accessKey);
      if (account === undefined) {
        account = { accessKey: update.accessKey };
        accounts.push(account);
      }
      if (update.secretKey) account.secretKey = update.secretKey;
      if (update.whiteRemoteAddress !== undefined) account.whiteRemoteAddress = update.whiteRemoteAddress;
      account.admin = update.admin;
      if (update.defaultTopicPerm) account.defaultTopicPerm = update.defaultTopicPerm;
      if (update.defaultGroupPerm) account.defaultGroupPerm = update.defaultGroupPerm;
      if (update.topicPerms !== undefined) account.topicPerms = update.topicPerms;
      if (update.groupPerms !== undefined) account.groupPerms = update.groupPerms;
      if (account.secretKey === undefined) throw new PlainAclConfigError(`a new account (${update.accessKey}) needs a secretKey`);
    });
  }

  /** Removes the account; false when there is none with this key. */
  deleteAccount(accessKey: string): boolean {
    let found = false;
    this.change((doc) => {
      const before = doc.accounts?.length ?? 0;
      doc.accounts = (doc.accounts ?? []).filter((a) => String(a.accessKey) !== accessKey);
      found = doc.accounts.length < before;
      if (!found) throw new PlainAclConfigError(`no account with access key ${accessKey}`);
    });
    return found;
  }

  updateGlobalWhiteAddresses(addresses: string[]): void {
    this.change((doc) => {
      doc.globalWhiteRemoteAddresses = addresses;
    });
  }

  private change(edit: (doc: Doc) => void): void {
    const doc = structuredClone(this.doc);
    edit(doc);
    const version = this.dataVersion;
    doc.dataVersion = [{ counter: version.counter + 1, timestamp: Date.now() }];
    const text = stringify(doc);
    const config = parsePlainAclConfig(text);
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    this.doc = doc;
    this.config = config;
    this.stamp = this.currentStamp();
  }
}
