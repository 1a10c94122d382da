/**
 * Java's conversions and orderings that RocketMQ's evaluator applies to property strings
 * (Integer.valueOf, Long.valueOf, Double.valueOf, Boolean.valueOf, Double.compareTo).
 */

/**
 * Thrown while evaluating when a conversion fails (Java's NumberFormatException or
 * ClassCastException). Deliberately not an Error: no stack trace is captured on this path.
 */
export class ConversionFailure {
  constructor(readonly reason: string) {}
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const unicodeDigit = /\p{Nd}/u;

/** Character.digit(c, 10) for a BMP code unit: ASCII and every other Unicode decimal digit. */
function digitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code < 128 || code >= 0xd800 && code <= 0xdfff || !unicodeDigit.test(String.fromCharCode(code))) return -1;
  // Unicode decimal digits come in runs of ten starting at zero; find the run's start.
  let zero = code;
  while (unicodeDigit.test(String.fromCharCode(zero - 1))) zero--;
  return (code - zero) % 10;
}

/**
 * Parses a Java decimal integer (`[+-]digits`, no spaces) within [min, max]; returns a number
 * when the value is a safe integer, else a bigint. Returns undefined when Java would throw.
 */
function parseJavaInteger(s: string, min: bigint, max: bigint): number | bigint | undefined {
  const len = s.length;
  if (len === 0) return undefined;
  let i = 0;
  let negative = false;
  const first = s.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    if (len === 1) return undefined;
    negative = first === 45;
    i = 1;
  }
  let value = 0;
  let big: bigint | undefined;
  for (; i < len; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d < 0) return undefined;
    if (big === undefined && value >= 9e14) big = BigInt(value); // beyond here value * 10 may lose precision
    if (big !== undefined) big = big * 10n + BigInt(d);
    else value = value * 10 + d;
  }
  if (big === undefined) {
    const signed = negative ? 0 - value : value;
    return signed < Number(min) || signed > Number(max) ? undefined : signed;
  }
  const signed = negative ? -big : big;
  if (signed < min || signed > max) return undefined;
  return Number.isSafeInteger(Number(signed)) && BigInt(Number(signed)) === signed ? Number(signed) : signed;
}

/**
 * Plain ASCII digits with an optional sign, at most `maxLength` characters (so the value fits
 * without a range check); undefined otherwise. The common case, kept free of any allocation.
 */
function parseShortDecimal(s: string, maxLength: number): number | undefined {
  const len = s.length;
  if (len === 0 || len > maxLength) return undefined;
  let i = 0;
  const first = s.charCodeAt(0);
  if (first === 45 || first === 43) {
    if (len === 1) return undefined;
    i = 1;
  }
  let v = 0;
  for (; i < len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return first === 45 ? 0 - v : v;
}

/** Integer.valueOf(s); throws ConversionFailure like Java's NumberFormatException. */
export function javaIntegerValueOf(s: string): number {
  const fast = parseShortDecimal(s, 10 - 1);
  if (fast !== undefined) return fast;
  const v = parseJavaInteger(s, BigInt(INT_MIN), BigInt(INT_MAX));
  if (v === undefined) throw new ConversionFailure(`'${s}' is not an Integer`);
  return v as number;
}

/** Long.valueOf(s) as an exact number (when safe) or bigint; throws ConversionFailure. */
export function javaLongValueOf(s: string): number | bigint {
  const fast = parseShortDecimal(s, 16 - 1);
  if (fast !== undefined) return fast;
  const v = parseJavaInteger(s, LONG_MIN, LONG_MAX);
  if (v === undefined) throw new ConversionFailure(`'${s}' is not a Long`);
  return v;
}

const javaDecimalFloat = /^[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)$/;
const javaHexFloat = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)[fFdD]?$/;

/** Double.valueOf(s): Java's FloatingDecimal grammar (trimmed; NaN, Infinity, hex, f/d suffix); throws ConversionFailure. */
export function javaDoubleValueOf(input: string): number {
  const s = javaTrim(input);
  if (javaDecimalFloat.test(s)) {
    const last = s.charCodeAt(s.length - 1);
    // f/F/d/D suffixes: the digits are still read as a double.
    const digits = last === 102 || last === 70 || last === 100 || last === 68 ? s.slice(0, -1) : s;
    return digits.endsWith('NaN') ? NaN : Number(digits);
  }
  const hex = javaHexFloat.exec(s);
  if (hex !== null && (hex[2]!.length > 0 || hex[3]!.length > 0)) {
    const mantissa = BigInt(`0x${hex[2]}${hex[3]}`);
    const exponent = Number(hex[4]) - 4 * hex[3]!.length;
    const magnitude = Number(mantissa) * 2 ** exponent;
    return hex[1] === '-' ? -magnitude : magnitude;
  }
  throw new ConversionFailure(`'${input}' is not a Double`);
}

/** Boolean.valueOf(s): "true" in any case is TRUE, everything else FALSE (never throws). */
export function javaBooleanValueOf(s: string): boolean {
  return (
    s.length === 4 &&
    (s.charCodeAt(0) | 32) === 116 &&
    (s.charCodeAt(1) | 32) === 114 &&
    (s.charCodeAt(2) | 32) === 117 &&
    (s.charCodeAt(3) | 32) === 101
  );
}

/** Double.compareTo: -0.0 < 0.0, NaN equal to itself and above everything. */
export function javaDoubleCompare(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) {
    if (a !== 0) return 0;
    const negA = Object.is(a, -0);
    return negA === Object.is(b, -0) ? 0 : negA ? -1 : 1;
  }
  const nanA = a !== a;
  return nanA === (b !== b) ? 0 : nanA ? 1 : -1;
}

/** Compares two exact integers given as number or bigint (JS compares mixed kinds exactly). */
export function compareExact(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Java's (int) negation with wrap-around. */
export function negateInteger(v: number): number {
  return -v | 0;
}

/** Java's (long) negation with wrap-around. */
export function negateLong(v: bigint): bigint {
  return BigInt.asIntN(64, -v);
}

/** Java's String.trim: strips code units <= U+0020 at both ends. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

export const JAVA_INT_MIN = INT_MIN;
export const JAVA_INT_MAX = INT_MAX;
export const JAVA_LONG_MAX = LONG_MAX;
/** Double.MIN_VALUE: RocketMQ rejects float literals below it (which includes 0.0). */
export const JAVA_DOUBLE_MIN_VALUE = 4.9e-324;

/** A value as RocketMQ's evaluator holds it: its Java class and the JS representation. */
export type JavaValue =
  | { readonly type: 'String'; readonly value: string }
  | { readonly type: 'Boolean'; readonly value: boolean }
  | { readonly type: 'Integer'; readonly value: number }
  | { readonly type: 'Long'; readonly value: number | bigint }
  | { readonly type: 'Double'; readonly value: number }
  | null;

type NonNullJavaValue = Exclude<JavaValue, null>;

/** RocketMQ casts a Boolean to String when it meets a string property, which always throws. */
export const classCastFailure = new ConversionFailure('a Boolean cannot be compared with a String (ClassCastException)');

function compareSameClass(a: NonNullJavaValue, b: NonNullJavaValue): number {
  if (a.type === 'Double') return javaDoubleCompare(a.value, b.value as number);
  if (a.type === 'Boolean') return a.value === b.value ? 0 : a.value ? 1 : -1;
  if (a.type === 'String') return a.value < (b.value as string) ? -1 : a.value > (b.value as string) ? 1 : 0;
  return compareExact(a.value, b.value as number | bigint);
}

/** Converts a property string to the given class the way RocketMQ's comparison does. */
export function convertString(s: string, to: NonNullJavaValue['type']): NonNullJavaValue {
  switch (to) {
    case 'Boolean':
      return { type: 'Boolean', value: javaBooleanValueOf(s) };
    case 'Integer':
      return { type: 'Integer', value: javaIntegerValueOf(s) };
    case 'Long':
      return { type: 'Long', value: javaLongValueOf(s) };
    case 'Double':
      return { type: 'Double', value: javaDoubleValueOf(s) };
    case 'String':
      return { type: 'String', value: s };
  }
}

/**
 * RocketMQ's ComparisonExpression.__compare with string conversion on: values of different
 * classes are promoted (Integer -> Long -> Double) or the string side is converted to the other
 * side's class; a pair it cannot relate compares as -1. Throws ConversionFailure when Java throws.
 */
export function javaCompare(left: NonNullJavaValue, right: NonNullJavaValue): number {
  let l = left;
  let r = right;
  if (l.type !== r.type) {
    switch (l.type) {
      case 'Boolean':
        // RocketMQ casts the Boolean itself to String here, which always throws.
        if (r.type === 'String') throw classCastFailure;
        return -1;
      case 'Integer':
        if (r.type === 'Long') l = { type: 'Long', value: l.value };
        else if (r.type === 'Double') l = { type: 'Double', value: l.value };
        else if (r.type === 'String') r = convertString(r.value, 'Integer');
        else return -1;
        break;
      case 'Long':
        if (r.type === 'Integer') r = { type: 'Long', value: r.value };
        else if (r.type === 'Double') l = { type: 'Double', value: Number(l.value) };
        else if (r.type === 'String') r = convertString(r.value, 'Long');
        else return -1;
        break;
      case 'Double':
        if (r.type === 'Integer' || r.type === 'Long') r = { type: 'Double', value: Number(r.value) };
        else if (r.type === 'String') r = convertString(r.value, 'Double');
        else return -1;
        break;
      case 'String':
        l = convertString(l.value, r.type);
        break;
    }
  }
  return compareSameClass(l, r);
}
