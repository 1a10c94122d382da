import type { BenchReport, IntervalPoint } from './report.js';

const WIDTH = 900;
const PANEL_HEIGHT = 240;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 36 };

interface Series {
  label: string;
  color: string;
  values: number[];
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** 1, 2 or 5 times a power of ten: the step of about `count` ticks up to `max`. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
}

function fmt(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${+(n / 1e3).toFixed(1)}k`;
  return String(+n.toFixed(3));
}

function panel(top: number, title: string, unit: string, times: number[], series: Series[]): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x0 = MARGIN.left;
  const y0 = top + MARGIN.top;
  const tMax = Math.max(1e-9, ...times);
  const vMaxRaw = Math.max(0, ...series.flatMap((s) => s.values));
  const step = niceStep(vMaxRaw);
  const vMax = Math.max(step, Math.ceil(vMaxRaw / step) * step);
  const px = (t: number): number => x0 + (t / tMax) * plotW;
  const py = (v: number): number => y0 + plotH - (v / vMax) * plotH;
  const out: string[] = [];
  out.push(`<text x="${x0}" y="${top + 24}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  out.push(`<rect x="${x0}" y="${y0}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  for (let v = 0; v <= vMax + step / 2; v += step) {
    const y = py(v).toFixed(1);
    out.push(`<line x1="${x0}" y1="${y}" x2="${x0 + plotW}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${x0 - 6}" y="${y}" font-size="11" text-anchor="end" dominant-baseline="middle">${fmt(v)}</text>`);
  }
  const tStep = niceStep(tMax, 8);
  for (let t = 0; t <= tMax + 1e-9; t += tStep) {
    const x = px(t).toFixed(1);
    out.push(`<text x="${x}" y="${y0 + plotH + 16}" font-size="11" text-anchor="middle">${fmt(t)}s</text>`);
  }
  out.push(`<text x="14" y="${y0 + plotH / 2}" font-size="11" transform="rotate(-90 14 ${y0 + plotH / 2})" text-anchor="middle">${escapeXml(unit)}</text>`);
  series.forEach((s, i) => {
    const points = s.values.map((v, j) => `${px(times[j]!).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
    if (s.values.length > 0) out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>`);
    const lx = x0 + plotW - 160 * (series.length - i);
    out.push(`<rect x="${lx}" y="${top + 14}" width="12" height="12" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 16}" y="${top + 24}" font-size="12">${escapeXml(s.label)}</text>`);
  });
  return out.join('\n');
}

/** Throughput and latency per interval as a standalone SVG (no scripts, no external resources). */
export function renderSvg(report: BenchReport): string {
  const points: IntervalPoint[] = report.intervals;
  const times = points.map((p) => p.t);
  const verb = report.kind === 'consume' ? 'Consume' : 'Send';
  const height = PANEL_HEIGHT * 2 + 30;
  const heading = `rockit bench ${report.kind} — ${report.totals.messages} messages, ${fmt(report.totals.msgPerSec)} msg/s, p99 ${report.latency.p99} ms`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="13" fill="#333">${escapeXml(heading)}</text>`,
    panel(20, `${verb} TPS`, 'msg/s', times, [{ label: 'TPS', color: '#1f77b4', values: points.map((p) => p.tps) }]),
    panel(20 + PANEL_HEIGHT, `${report.kind === 'produce' || report.kind === 'tx' ? 'Send' : 'End-to-end'} RT per interval`, 'ms', times, [
      { label: 'Average RT', color: '#2ca02c', values: points.map((p) => p.avgRtMs) },
      { label: 'Max RT', color: '#d62728', values: points.map((p) => p.maxRtMs) },
    ]),
    `</svg>`,
    '',
  ].join('\n');
}

/** The SVG in a page with the run's configuration and percentiles beside it. */
export function renderHtml(report: BenchReport): string {
  const rows = [
    ['messages', report.totals.messages],
    ['msg/s', report.totals.msgPerSec],
    ['MB/s', report.totals.mbPerSec],
    ['p50 / p90 / p99 / p99.9 / max (ms)', `${report.latency.p50} / ${report.latency.p90} / ${report.latency.p99} / ${report.latency.p999} / ${report.latency.max}`],
    ['errors', report.errors.total],
    ['client CPU (% of one core)', report.cpu.percentOfOneCore],
    ['load average', report.environment.loadAverage.join(' ')],
    ['config', JSON.stringify(report.config)],
  ];
  const table = rows.map(([k, v]) => `<tr><th align="left">${escapeXml(String(k))}</th><td>${escapeXml(String(v))}</td></tr>`).join('\n');
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><title>rockit bench ' + escapeXml(report.kind) + '</title></head>',
    '<body style="font-family:sans-serif">',
    renderSvg(report).replace(/^<\?xml[^>]*>\n/, ''),
    `<table>${table}</table>`,
    '</body></html>',
    '',
  ].join('\n');
}
