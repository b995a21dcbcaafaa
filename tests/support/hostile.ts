import { parse } from 'devalue';
import fc from 'fast-check';
import en from '../../src/lib/i18n/messages/en.json' with { type: 'json' };
import nl from '../../src/lib/i18n/messages/nl.json' with { type: 'json' };

/**
 * Hostile input for property tests: what a careless client, a broken phone keyboard or an
 * attacker sends. Mostly invalid on purpose; a few valid values slip in so that the
 * "accepted only if valid" half of each property is exercised too.
 */

/** How many generated inputs per property; `HOSTILE_RUNS=200` for a long run. */
export const RUNS = Math.max(1, Number(process.env.HOSTILE_RUNS ?? 12));

const catalogue = { nl: nl as unknown as Record<string, string>, en: en as unknown as Record<string, string> };

/** A message key people can be shown: present and non-empty in both languages. */
export function isTranslatedKey(key: unknown): boolean {
	return typeof key === 'string' && key !== '$schema' && Boolean(catalogue.nl[key]?.trim()) && Boolean(catalogue.en[key]?.trim());
}

/** A text as shown to people: one of the catalogue's values (parameters allowed), in either language. */
export function isTranslatedText(text: unknown): boolean {
	if (typeof text !== 'string' || !text.trim()) return false;
	return [catalogue.nl, catalogue.en].some((messages) =>
		Object.entries(messages).some(([key, value]) => {
			if (key === '$schema' || typeof value !== 'string') return false;
			if (!value.includes('{')) return value === text;
			const pattern = value.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
			return new RegExp(`^${pattern}$`, 's').test(text);
		})
	);
}

/** The error texts of a language as they appear in HTML (escaped), to find one on a re-rendered page. */
export function errorTextsInHtml(locale: 'nl' | 'en'): string[] {
	const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
	return Object.entries(catalogue[locale])
		.filter(([key, value]) => /(^error_|invalid|no_longer|hosts_only|not_allowed|refused)/.test(key) && typeof value === 'string')
		.map(([, value]) => escape(value.split('{')[0]!.trim()))
		.filter((v) => v.length >= 6);
}

const HUGE = 110_000;

export const hostileText = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom(
		'',
		' ',
		'\u0000',
		'a\u0000b',
		'\uD800',
		'\uDFFFx',
		'a\uD83D',
		'\u202Egnp.exe',
		'\u200F\u200E\u061C',
		'\u200B\u200C\u200D\uFEFF',
		'👩‍👩‍👧‍👦',
		'🏳️‍🌈🇳🇱',
		'e\u0301\u0301\u0301',
		'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
		'<script>alert(1)</script>',
		'"><img src=x onerror=alert(1)>',
		'javascript:alert(1)',
		"'; drop table member; --",
		'${7*7}{{7*7}}',
		'../../../etc/passwd',
		'null',
		'undefined',
		'[object Object]',
		'__proto__',
		'\r\n\r\n',
		'%00%ff',
		'\t\v\f'
	) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
	{ weight: 1, arbitrary: fc.constantFrom('x'.repeat(HUGE), '€'.repeat(HUGE / 3), '<b>'.repeat(HUGE / 3), '👩‍👩‍👧'.repeat(HUGE / 8)) }
);

export const hostileNumber = fc.oneof(
	fc.constantFrom('-1', '0', '-0', '1.5', '0.0001', 'NaN', 'Infinity', '-Infinity', '1e309', '1e3', '0x10', ' 3 ', '+2', '2,5', '٣', '３'),
	fc.constantFrom('9'.repeat(30), '-9007199254740993', '2147483648', '4294967296'),
	fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
	fc.double().map(String)
);

export const hostileDate = fc.oneof(
	fc.constantFrom(
		'2026-02-30',
		'2027-02-29',
		'0000-01-01',
		'0001-01-01',
		'99999-01-01',
		'9999-12-31',
		'2026-13-01',
		'2026-00-10',
		'2026-12-32',
		'2026-1-1',
		'1969-12-31',
		'2026/12/01',
		'01-12-2026',
		'2026-12-01T25:00'
	),
	fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString().slice(0, 10)))
);

export const hostileTime = fc.constantFrom('24:00', '23:60', '-1:00', '9:00', '12:5', '99:99', '02:30', '12:00:00', '12h', '00:00', '23:59');
export const hostileTimeZone = fc.constantFrom('Mars/Olympus_Mons', 'Europe/Amsterdam\u0000', '+02:00', 'UTC', 'Etc/GMT+14', 'europe/amsterdam', '../../etc/localtime', 'America/St_Johns');
export const hostileRrule = fc.constantFrom('yearly', 'FREQ=SECONDLY', 'daily', 'XX', 'MO,TU', '5', '-1', '0', '99', 'weekly;COUNT=999999', 'FREQ=WEEKLY;BYDAY=MO\r\nX-EVIL:1');

/** Ids: not a UUID, the nil UUID, a random one, or one of `known` (often another neighbourhood's). */
export function hostileId(known: string[] = []) {
	return fc.oneof(
		fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-000000000000', '1', "' or 1=1 --", 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{}', '12345678-1234-1234-1234-1234567890ab|x'),
		fc.uuid(),
		...(known.length ? [fc.constantFrom(...known)] : [])
	);
}

export const anyHostile = fc.oneof(hostileText, hostileNumber, hostileDate, hostileTime, hostileId());

/**
 * One field's values: missing (most often worth trying), once, or repeated; now and then a
 * file where text is expected.
 */
export function fieldValues(valueArb: fc.Arbitrary<string>): fc.Arbitrary<(string | Blob)[]> {
	return fc.oneof(
		{ weight: 2, arbitrary: fc.constant<(string | Blob)[]>([]) },
		{ weight: 6, arbitrary: valueArb.map((v): (string | Blob)[] => [v]) },
		{ weight: 1, arbitrary: fc.array<string | Blob>(valueArb, { minLength: 2, maxLength: 3 }) },
		{ weight: 1, arbitrary: fc.constant<(string | Blob)[]>([new Blob(['<script>'], { type: 'text/html' })]) }
	);
}

/** Transports: the enhanced (JS) post, the plain form post, and a raw body with broken encoding. */
export type Transport = 'js-urlencoded' | 'js-multipart' | 'nojs-urlencoded' | 'raw-broken';
export const transport = fc.constantFrom<Transport>('js-urlencoded', 'js-multipart', 'nojs-urlencoded', 'raw-broken');

export function body(fields: [string, string | Blob][], kind: Transport): { body: BodyInit; contentType?: string } {
	if (kind === 'raw-broken') {
		// Percent-escapes that decode to invalid UTF-8 and a lone surrogate, plus a dangling `%`.
		const text = fields
			.filter((f): f is [string, string] => typeof f[1] === 'string')
			.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '')).slice(0, 20_000)}%FF%ED%A0%80%E0%A4%`)
			.join('&');
		return { body: text || '%', contentType: 'application/x-www-form-urlencoded' };
	}
	if (kind === 'js-multipart') {
		const form = new FormData();
		for (const [k, v] of fields) form.append(k, v);
		return { body: form };
	}
	const params = new URLSearchParams();
	for (const [k, v] of fields) params.append(k, typeof v === 'string' ? v : '[blob]');
	return { body: params.toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** SvelteKit answers an enhanced post with devalue's encoding; devalue itself reads it. */
export function decodeDevalue(data: string | undefined): Record<string, unknown> {
	return data ? (parse(data) as Record<string, unknown>) : {};
}

/** Tallies printed at the end of a file. */
export class Tally {
	tried = 0;
	rejected = 0;
	accepted = 0;
	serverErrors = 0;
	tooLarge = 0;
	readonly failures: string[] = [];
	print(title: string) {
		console.log(
			`${title}: ${this.tried} inputs tried, ${this.rejected} rejected with a clear error, ${this.accepted} accepted as valid, ` +
				`${this.tooLarge} refused as too large (413, before the app), ${this.serverErrors} server errors`
		);
	}
}
