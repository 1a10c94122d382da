import { cpus, availableParallelism } from 'node:os';

export interface CpuUse {
  userMs: number;
  systemMs: number;
  /** Busy time over wall time: 100 = one core fully used (threads of one process can exceed it). */
  percentOfOneCore: number;
  cores: number;
}

/** The process's own CPU time (every thread, workers included) since `start`. */
export class CpuMeter {
  private last = process.cpuUsage();
  private lastAt = performance.now();
  private first = this.last;
  private firstAt = this.lastAt;

  /** Starts the measured window again (after the warm-up). */
  restart(): void {
    this.first = this.last = process.cpuUsage();
    this.firstAt = this.lastAt = performance.now();
  }

  /** Use since the previous call, as a percentage of one core. */
  sample(): number {
    const now = performance.now();
    const u = process.cpuUsage(this.last);
    this.last = process.cpuUsage();
    const wall = now - this.lastAt;
    this.lastAt = now;
    return wall > 0 ? ((u.user + u.system) / 1000 / wall) * 100 : 0;
  }

  total(): CpuUse {
    const u = process.cpuUsage(this.first);
    const wall = performance.now() - this.firstAt;
    const busyMs = (u.user + u.system) / 1000;
    return {
      userMs: Math.round(u.user / 1000),
      systemMs: Math.round(u.system / 1000),
      percentOfOneCore: wall > 0 ? Math.round((busyMs / wall) * 1000) / 10 : 0,
      cores: typeof availableParallelism === 'function' ? availableParallelism() : cpus().length,
    };
  }
}
