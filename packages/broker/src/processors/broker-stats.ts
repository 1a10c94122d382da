/** Counters GET_BROKER_RUNTIME_INFO reports (RocketMQ `BrokerStats` / `BrokerStatsManager`, the honest subset). */
export class BrokerStats {
  msgPutTotal = 0;
  msgGetTotal = 0;
  /** Start of the next local day: counters roll over when a put or get happens after it. */
  private nextDay = nextMidnight(Date.now());
  msgPutTotalTodayMorning = 0;
  msgGetTotalTodayMorning = 0;
  /** Messages got in the last 60 one-second buckets (getTotalTps). */
  private readonly getRing = new Float64Array(60);
  private getSecond = 0;

  incPut(_topic: string, count: number, _bytes: number): void {
    this.rollDay();
    this.msgPutTotal += count;
  }

  incGet(_topic: string, count: number, _bytes: number): void {
    this.rollDay();
    this.msgGetTotal += count;
    const sec = Math.floor(Date.now() / 1000);
    this.rollGet(sec);
    this.getRing[sec % 60]! += count;
  }

  /** Messages per second got over the last minute. */
  getTps(): number {
    this.rollGet(Math.floor(Date.now() / 1000));
    let sum = 0;
    for (const v of this.getRing) sum += v;
    return sum / 60;
  }

  private rollGet(sec: number): void {
    if (sec === this.getSecond) return;
    const gap = Math.min(60, sec - this.getSecond);
    for (let i = 1; i <= gap; i++) this.getRing[(this.getSecond + i) % 60] = 0;
    this.getSecond = sec;
  }

  private rollDay(): void {
    const now = Date.now();
    if (now < this.nextDay) return;
    this.nextDay = nextMidnight(now);
    this.msgPutTotalTodayMorning = this.msgPutTotal;
    this.msgGetTotalTodayMorning = this.msgGetTotal;
  }
}

function nextMidnight(ms: number): number {
  const d = new Date(ms);
  d.setHours(24, 0, 0, 0);
  return d.getTime();
}
