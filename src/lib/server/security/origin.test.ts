import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin.ts';

describe('originAllowed', () => {
	const expected = 'https://buurtbord.example';

	it('lets the app itself in', () => {
		expect(originAllowed({ origin: 'https://buurtbord.example', expected })).toBe(true);
		// ORIGIN as configured may carry a path or trailing slash; only its origin counts.
		expect(originAllowed({ origin: 'https://buurtbord.example', expected: 'https://buurtbord.example/' })).toBe(true);
	});

	it('refuses another site, another scheme, another port and an opaque origin', () => {
		expect(originAllowed({ origin: 'https://evil.example', expected, host: 'buurtbord.example' })).toBe(false);
		expect(originAllowed({ origin: 'http://buurtbord.example', expected })).toBe(false);
		expect(originAllowed({ origin: 'https://buurtbord.example:8443', expected })).toBe(false);
		expect(originAllowed({ origin: 'null', expected })).toBe(false);
		expect(originAllowed({ origin: 'not a url', expected, sameHost: true, host: 'buurtbord.example' })).toBe(false);
	});

	it('refuses what the browser marks as started by another site, even without Origin', () => {
		expect(originAllowed({ origin: undefined, secFetchSite: 'cross-site', expected })).toBe(false);
		expect(originAllowed({ origin: undefined, secFetchSite: 'same-origin', expected })).toBe(true);
	});

	it('lets requests without Origin through (same-origin GETs, scripts, calendar apps)', () => {
		expect(originAllowed({ origin: undefined, expected })).toBe(true);
		expect(originAllowed({ origin: null, expected })).toBe(true);
	});

	it('with no ORIGIN, or in development, the request’s own host stands in', () => {
		expect(originAllowed({ origin: 'http://127.0.0.1:5173', host: '127.0.0.1:5173', expected: undefined })).toBe(true);
		expect(originAllowed({ origin: 'http://evil.example', host: '127.0.0.1:5173', expected: undefined })).toBe(false);
		expect(originAllowed({ origin: 'http://192.168.1.5:5173', host: '192.168.1.5:5173', expected: 'http://localhost:5173', sameHost: true })).toBe(true);
		// In production ORIGIN alone decides.
		expect(originAllowed({ origin: 'http://192.168.1.5:3000', host: '192.168.1.5:3000', expected: 'http://localhost:3000' })).toBe(false);
	});
});
