// The benchmark plugin's library side: the report model and the pieces the commands are built from, for tools
// that read or compare `rockit bench --report` files.
export { REPORT_SCHEMA, type BenchReport, type BenchKind, type IntervalPoint, type BenchTotals, type BenchErrors, type StoredCount, type AssertionResult } from './lib/report.js';
export { parseAssertion, evaluateAssertions, describeAssertion, AssertionSyntaxError, type Assertion } from './lib/assertions.js';
export { compareReports, parseReport, type ComparisonRow } from './lib/compare.js';
export { renderSvg, renderHtml } from './lib/plot.js';
export { LatencyHistogram, loadHdr, HISTOGRAM_OPTIONS, type LatencySummary } from './lib/histogram.js';
export { RateLimiter } from './lib/rate-limiter.js';
export { parseDurationMs } from './lib/units.js';
