import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cookieName, extractLocaleFromRequest, strategy } from '$lib/paraglide/runtime.js';
import { getLocale, localeOfCookies } from './browser-runtime';

/** What the server renders a page in, for a request with these cookies (Paraglide's own answer). */
const serverLocale = (cookies: string) => extractLocaleFromRequest(new Request('http://localhost/', { headers: cookies ? { cookie: cookies } : {} }));

describe('the browser runtime', () => {
	it('assumes the strategy the app is built with (vite.config.ts): the cookie, else the base language', () => {
		// Another strategy (the URL, the browser's languages) needs browser-runtime.ts changed too.
		expect(strategy).toEqual(['cookie', 'baseLocale']);
	});

	it('picks the language the server rendered the page in', () => {
		for (const cookies of ['', `${cookieName}=en`, `${cookieName}=nl`, `a=b; ${cookieName}=en; c=d`, `${cookieName}=EN`, `${cookieName}=fr`, `x${cookieName}=en`, `${cookieName}=en; ${cookieName}=nl`, `${cookieName}=`]) {
			expect(localeOfCookies(cookies), cookies).toBe(serverLocale(cookies));
		}
		expect(localeOfCookies(`theme=dark; ${cookieName}=en`)).toBe('en');
		expect(localeOfCookies('theme=dark')).toBe('nl');
	});

	it('agrees with the server for any cookie header', () => {
		const name = fc.constantFrom(cookieName, 'theme', `${cookieName}_x`, 'x');
		const value = fc.oneof(fc.constantFrom('nl', 'en', 'EN', 'Nl', 'fr', ''), fc.stringMatching(/^[a-zA-Z0-9_-]{0,6}$/));
		const header = fc.array(fc.tuple(name, value), { maxLength: 4 }).map((pairs) => pairs.map(([n, v]) => `${n}=${v}`).join('; '));
		fc.assert(fc.property(header, (cookies) => localeOfCookies(cookies) === serverLocale(cookies)));
	});

	it('reads the cookie once per task, and hears a language chosen in a later one', async () => {
		let cookie = `${cookieName}=en`;
		let reads = 0;
		const page = { get cookie() { reads++; return cookie; } };
		Object.defineProperty(globalThis, 'document', { value: page, configurable: true });
		try {
			// A page starting: every message asks.
			for (let i = 0; i < 100; i++) expect(getLocale()).toBe('en');
			expect(reads).toBe(1);
			// A server's answer set another language; the next task speaks it.
			cookie = `${cookieName}=nl`;
			await new Promise((next) => setTimeout(next));
			expect(getLocale()).toBe('nl');
			expect(reads).toBe(2);
		} finally {
			Reflect.deleteProperty(globalThis, 'document');
		}
	});
});
