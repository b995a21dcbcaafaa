import { afterEach, describe, expect, it, vi } from 'vitest';
import * as paraglide from '$lib/paraglide/registry.js';
import * as cached from './registry';
import { m } from '$lib/paraglide/messages';

describe('the formatters the messages use', () => {
	afterEach(() => vi.restoreAllMocks());

	it('has every formatter of Paraglide’s registry, answering as it does', () => {
		expect(Object.keys(cached).sort()).toEqual(Object.keys(paraglide).sort());
		for (const locale of ['nl', 'en'] as const) {
			for (const n of [0, 1, 2, 21, 1.5]) expect(cached.plural(locale, n, {}), `${locale} ${n}`).toBe(paraglide.plural(locale, n, {}));
			expect(cached.plural(locale, 2, { type: 'ordinal' })).toBe(paraglide.plural(locale, 2, { type: 'ordinal' }));
			expect(cached.number(locale, 1234.5, { style: 'currency', currency: 'EUR' })).toBe(paraglide.number(locale, 1234.5, { style: 'currency', currency: 'EUR' }));
			expect(cached.datetime(locale, '2026-12-08T17:00:00Z', { timeZone: 'UTC', weekday: 'long' })).toBe(paraglide.datetime(locale, '2026-12-08T17:00:00Z', { timeZone: 'UTC', weekday: 'long' }));
			expect(cached.relativetime(locale, -2, { unit: 'day', numeric: 'auto' })).toBe(paraglide.relativetime(locale, -2, { unit: 'day', numeric: 'auto' }));
		}
	});

	it('builds the plural rules of a language once, not at every message', () => {
		const built = vi.spyOn(Intl, 'PluralRules');
		for (let i = 0; i < 50; i++) paraglide.plural('nl', i, {});
		expect(built.mock.calls.length).toBe(50);
		built.mockClear();
		for (let i = 0; i < 50; i++) cached.plural('nl', i, {});
		// Possibly built already by the test above: at most once here, never per message.
		expect(built.mock.calls.length).toBeLessThanOrEqual(1);
		expect(cached.plural('nl', 1, {})).toBe('one');
		expect(cached.plural('nl', 3, {})).toBe('other');
	});

	it('is what the compiled messages use (src/build/paraglide-swaps.ts)', () => {
		const built = vi.spyOn(Intl, 'PluralRules');
		for (let going = 0; going < 50; going++) m.board_going({ going }, { locale: 'en' });
		expect(built.mock.calls.length).toBeLessThanOrEqual(1);
		expect(m.board_going({ going: 1 }, { locale: 'nl' })).toBe('1 plaats bezet');
		expect(m.board_going({ going: 2 }, { locale: 'nl' })).toBe('2 plaatsen bezet');
	});
});
