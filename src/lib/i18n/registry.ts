/**
 * Paraglide's formatters for messages with numbers (its generated registry.js, swapped for this
 * one in every build by src/build/paraglide-swaps.ts), with each Intl object built
 * once per language and options instead of at every message: a board page says "3 buren komen"
 * dozens of times, and building an Intl.PluralRules costs a slow phone far more than using one
 * (about 20 ms while the page starts). The messages pass literal options, so the cache stays small.
 */
const built = new Map<string, unknown>();

function once<T>(kind: string, locale: string, options: object | undefined, build: () => T): T {
	const key = `${kind}|${locale}|${options === undefined ? '' : JSON.stringify(options)}`;
	let formatter = built.get(key) as T | undefined;
	if (formatter === undefined) built.set(key, (formatter = build()));
	return formatter;
}

export function plural(locale: string, input: unknown, options?: Intl.PluralRulesOptions): Intl.LDMLPluralRule {
	return once('plural', locale, options, () => new Intl.PluralRules(locale, options)).select(Number(input));
}

export function number(locale: string, input: unknown, options?: Intl.NumberFormatOptions): string {
	return once('number', locale, options, () => new Intl.NumberFormat(locale, options)).format(Number(input));
}

export function datetime(locale: string, input: unknown, options?: Intl.DateTimeFormatOptions): string {
	return once('datetime', locale, options, () => new Intl.DateTimeFormat(locale, options)).format(new Date(input as string));
}

export function relativetime(locale: string, input: unknown, options: Intl.RelativeTimeFormatOptions & { unit: Intl.RelativeTimeFormatUnit }): string {
	const { unit, ...intlOptions } = options;
	return once('relativetime', locale, intlOptions, () => new Intl.RelativeTimeFormat(locale, intlOptions)).format(Number(input), unit);
}
