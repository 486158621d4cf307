import { badRequest, quoteValue } from './errors.js';

/** The query string as Fastify hands it over: repeated keys become arrays. */
export type RawQuery = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Reads the named parameters with the SPEC's generic rules: a parameter given twice is a 400,
 * an empty value counts as not given, unknown parameters are ignored.
 */
export function readParams<K extends string>(raw: RawQuery, names: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = raw[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw badRequest(`Parameter ${name} was given ${value.length} times; give it at most once.`);
    }
    if (value !== '') out[name] = value;
  }
  return out;
}

/** Case-sensitive membership in a closed set; the 400 lists the allowed values. */
export function parseEnum<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw badRequest(`Invalid ${name} ${quoteValue(value)}: allowed values are ${allowed.join(', ')}.`);
}

/** A plain decimal integer within bounds: `1.5`, `1e2`, `+5`, `010` and `abc` are rejected. */
export function parseBoundedInteger(name: string, value: string, min: number, max: number): number {
  const n = /^[1-9]\d{0,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw badRequest(`Invalid ${name} ${quoteValue(value)}: must be an integer from ${min} to ${max}.`);
  }
  return n;
}
