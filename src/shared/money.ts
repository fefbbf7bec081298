/**
 * Exact decimal arithmetic for money and tariff prices: a BigInt count of 10^-scale units.
 * Addition, subtraction and multiplication are exact; only `divInt` and `round` round, always half-up
 * (away from zero), and always at a scale the caller names. No binary floating point touches an amount.
 */

const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 60; i++, p *= 10n) POW10.push(p);

function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/** Divides with rounding half away from zero; `d` must be positive. */
function divHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n - q * d;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice < d) return q;
  return n < 0n ? q - 1n : q + 1n;
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export class Decimal {
  static readonly ZERO = new Decimal(0n, 0);

  /** @param units the value times 10^scale */
  constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  /** Parses a JSON number or decimal string exactly (a number goes through its shortest round-trip string). */
  static parse(value: number | string): Decimal {
    const text = typeof value === 'number' ? numberToText(value) : value.trim();
    const m = DECIMAL_RE.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError(`not a decimal number: ${text}`);
    const frac = m[3] ?? '';
    const exp = m[4] ? Number(m[4]) : 0;
    let units = BigInt((m[2] || '0') + frac);
    let scale = frac.length - exp;
    if (scale < 0) {
      units *= pow10(-scale);
      scale = 0;
    }
    return new Decimal(m[1] === '-' ? -units : units, scale);
  }

  /** An exact integer (a safe JS integer or a bigint). */
  static fromInt(n: number | bigint): Decimal {
    if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
    return new Decimal(BigInt(n), 0);
  }

  /** Same value expressed with `scale` decimals; exact, so `scale` must not be below the current one. */
  rescale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (scale < this.scale) throw new RangeError('rescale would lose digits; use round()');
    return new Decimal(this.units * pow10(scale - this.scale), scale);
  }

  add(other: Decimal): Decimal {
    if (this.scale === other.scale) return new Decimal(this.units + other.units, this.scale);
    const s = Math.max(this.scale, other.scale);
    return new Decimal(this.rescale(s).units + other.rescale(s).units, s);
  }

  sub(other: Decimal): Decimal {
    return this.add(other.neg());
  }

  neg(): Decimal {
    return new Decimal(-this.units, this.scale);
  }

  /** Exact product (scales add up). */
  mul(other: Decimal): Decimal {
    return new Decimal(this.units * other.units, this.scale + other.scale);
  }

  /** Quotient by a positive integer, rounded half-up at `scale` decimals. */
  divInt(divisor: number | bigint, scale: number): Decimal {
    const d = BigInt(divisor);
    if (d <= 0n) throw new RangeError('divisor must be positive');
    if (scale >= this.scale) return new Decimal(divHalfUp(this.units * pow10(scale - this.scale), d), scale);
    return new Decimal(divHalfUp(this.units, d * pow10(this.scale - scale)), scale);
  }

  /** Rounds half-up (away from zero) to `decimals` decimals; never adds digits. */
  round(decimals: number): Decimal {
    if (decimals >= this.scale) return this;
    return new Decimal(divHalfUp(this.units, pow10(this.scale - decimals)), decimals);
  }

  /** Rounds up (towards +infinity) to a multiple of 10^-decimals. */
  ceil(decimals: number): Decimal {
    if (decimals >= this.scale) return this;
    const d = pow10(this.scale - decimals);
    const q = this.units / d;
    return new Decimal(this.units > q * d ? q + 1n : q, decimals);
  }

  compare(other: Decimal): -1 | 0 | 1 {
    const s = Math.max(this.scale, other.scale);
    const a = this.rescale(s).units;
    const b = other.rescale(s).units;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(other: Decimal): boolean {
    return this.compare(other) === 0;
  }

  isZero(): boolean {
    return this.units === 0n;
  }

  isNegative(): boolean {
    return this.units < 0n;
  }

  /** Decimal string without exponent and without trailing zeros ("4.4", "-0.005", "12"). */
  toString(): string {
    const neg = this.units < 0n;
    let digits = (neg ? -this.units : this.units).toString();
    if (this.scale > 0) {
      digits = digits.padStart(this.scale + 1, '0');
      const int = digits.slice(0, digits.length - this.scale);
      const frac = digits.slice(digits.length - this.scale).replace(/0+$/, '');
      digits = frac ? `${int}.${frac}` : int;
    }
    return neg && digits !== '0' ? `-${digits}` : digits;
  }

  /** The nearest JS number, for OCPI JSON output only (round to currency decimals first). */
  toNumber(): number {
    return Number(this.toString());
  }
}

function numberToText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(n);
}

/** The larger of two decimals. */
export function maxDecimal(a: Decimal, b: Decimal): Decimal {
  return a.compare(b) >= 0 ? a : b;
}

/** The smaller of two decimals. */
export function minDecimal(a: Decimal, b: Decimal): Decimal {
  return a.compare(b) <= 0 ? a : b;
}

const currencyDecimalsCache = new Map<string, number>();

/**
 * Minor-unit decimals of an ISO 4217 currency (EUR 2, JPY 0, KWD 3), from the runtime's ICU data.
 * Unknown codes fall back to 2.
 */
export function currencyDecimals(currency: string): number {
  const code = currency.toUpperCase();
  let d = currencyDecimalsCache.get(code);
  if (d === undefined) {
    try {
      const opts = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions();
      d = opts.maximumFractionDigits ?? 2;
    } catch {
      d = 2; // RangeError for a malformed code: callers validate codes; pricing still needs a precision
    }
    currencyDecimalsCache.set(code, d);
  }
  return d;
}
