/**
 * Driving `bin/rockit` in a pseudo-terminal, as a person at a keyboard would: a tiny python3 `pty` bridge (no native
 * module needed) relays our writes to the terminal and the terminal's output back. `expect` waits for text in the
 * output with ANSI escapes removed, reading forward from the previous match, so the same prompt can be awaited again.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cleanEnv, repoRoot, rockitBin } from './rockit-cli.js';

const BRIDGE = `
import os, pty, sys, select, fcntl, termios, struct, signal
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 160, 0, 0))
inputs = [fd, 0]
while True:
    r, _, _ = select.select(inputs, [], [])
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
    if 0 in r:
        data = os.read(0, 65536)
        if data:
            os.write(fd, data)
        else:
            inputs = [fd]
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
sys.exit(128 - code if code < 0 else code)
`;

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|\x1b[=>78]|\r/g;

export const KEY = { enter: '\r', down: '\x1b[B', up: '\x1b[A', ctrlC: '\x03' } as const;

export class PtyRockit {
  readonly child: ChildProcessWithoutNullStreams;
  raw = '';
  private cursor = 0;
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn('python3', ['-c', BRIDGE, process.execPath, rockitBin, ...args], {
      cwd: repoRoot,
      env: cleanEnv({ TERM: 'xterm-256color', ...env }),
    });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.raw += chunk));
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.raw += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Everything shown so far, without colours and cursor movements. */
  get text(): string {
    return this.raw.replace(ANSI, '');
  }

  /** Waits until `pattern` appears after the previous match; returns the match. */
  async expect(pattern: RegExp, timeoutMillis = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMillis;
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      const rest = this.text.slice(this.cursor);
      const match = pattern.exec(rest);
      if (match) {
        this.cursor += match.index! + match[0].length;
        return match;
      }
      if (exited || Date.now() > deadline) {
        throw new Error(`${exited ? 'exited' : 'timed out'} waiting for ${pattern}; output since the last match:\n${rest}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Types `keys`, after a moment for the prompt to finish drawing. */
  async type(keys: string): Promise<void> {
    await new Promise((r) => setTimeout(r, 60));
    this.child.stdin.write(keys);
  }

  /** Answers the prompt matching `prompt` with `keys`. */
  async answer(prompt: RegExp, keys: string): Promise<void> {
    await this.expect(prompt);
    await this.type(keys);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/**
 * Picks the choice of a select prompt whose name starts with `prefix` (typed, then Enter once it is highlighted);
 * `prompt` undefined: the prompt is already on screen.
 */
export async function choose(pty: PtyRockit, prompt: RegExp | undefined, prefix: string): Promise<void> {
  if (prompt !== undefined) await pty.expect(prompt);
  await pty.type(prefix);
  await new Promise((r) => setTimeout(r, 150));
  pty.child.stdin.write(KEY.enter);
}
