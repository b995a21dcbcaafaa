import { describe, expect, it } from 'vitest';
import { linesFolded, parseFeed } from '../../../tests/support/parse-ical.ts';
import { localToInstant } from '../activities/recurrence.ts';
import {
	buildCalendar,
	buildSeriesCalendar,
	feedEtag,
	gatheringUid,
	notModified,
	type FeedActivity,
	type FeedEntry,
	type FeedGathering,
	type FeedText
} from './feeds.ts';

const text: FeedText = {
	cancelled: 'Afgelast',
	waitlist: 'Wachtlijst',
	reason: (r) => `Reden: ${r}`,
	cost: (a) => (a.cost_kind === 'free' ? 'Kosten: gratis' : 'Kosten: geef wat je kunt'),
	whatToBring: (w) => `Neem mee: ${w}`,
	boardLink: (url) => `Aanmelden: ${url}`,
	role: (roles, helps) => `Jij: ${roles.join(', ')}${helps.length ? ` (${helps.join(', ')})` : ''}`
};
const origin = 'https://buurt.example';

const activity: FeedActivity = {
	id: '11111111-1111-4111-8111-111111111111',
	title: 'Dinsdagdiner in de Buurtkamer — samen koken, samen eten, iedereen welkom',
	description: 'Samen eten; iedereen is welkom.\nKinderen ook.',
	place_name: 'Buurthuis De Linde',
	place_address: 'Lindestraat 1, Utrecht',
	schedule_time_zone: 'Europe/Amsterdam',
	schedule_rrule: 'FREQ=WEEKLY;BYDAY=TU',
	schedule_starts_at: '2026-03-17T18:00:00',
	schedule_until: null,
	duration_minutes: 150,
	cost_kind: 'pay_what_you_can',
	price_cents: null,
	meal_included: true,
	what_to_bring: 'een bord en bestek',
	updated_at: '2026-03-01T10:00:00Z'
};

/** Every Tuesday 18:00 Amsterdam time, 17 March to 3 November 2026: across both clock changes (29 March, 25 October). */
const tuesdays = Array.from({ length: 34 }, (_, week) => {
	const day = new Date(Date.UTC(2026, 2, 17 + 7 * week)).toISOString().slice(0, 10);
	return localToInstant(day, '18:00', 'Europe/Amsterdam').toISOString();
});
const at = (day: string) => tuesdays.findIndex((t) => t.startsWith(day));

function gathering(start: string, i: number, change: Partial<FeedGathering> = {}): FeedGathering {
	return {
		id: `22222222-2222-4222-8222-${String(i).padStart(12, '0')}`,
		activity_id: activity.id,
		occurrence_starts_at: start,
		starts_at: start,
		ends_at: new Date(Date.parse(start) + 150 * 60_000).toISOString(),
		status: 'scheduled',
		cancellation_reason: null,
		place_name: null,
		place_address: null,
		is_extra: false,
		sequence: 0,
		updated_at: '2026-03-02T09:00:00Z',
		...change
	};
}

// 24 March cancelled; 7 April moved to Wednesday 19:00 (17:00Z in summer time) in another room.
const gatherings = tuesdays.map((start, i) =>
	i === at('2026-03-24')
		? gathering(start, i, { status: 'cancelled', cancellation_reason: 'Het buurthuis is dicht', sequence: 1, updated_at: '2026-03-20T08:00:00Z' })
		: i === at('2026-04-07')
			? gathering(start, i, { starts_at: '2026-04-08T17:00:00Z', ends_at: '2026-04-08T19:30:00Z', place_name: 'De Bieb', sequence: 2, updated_at: '2026-04-01T08:00:00Z' })
			: gathering(start, i)
);
const entries: FeedEntry[] = gatherings.map((g) => ({ gathering: g, activity }));

describe('the one-event-per-gathering feed', () => {
	const raw = buildCalendar(entries, { name: 'Dinsdagdiner', origin, text });
	const feed = parseFeed(raw);

	it('has one event per gathering, each in the named zone with its VTIMEZONE', () => {
		expect(feed.events).toHaveLength(34);
		expect(feed.timezones).toEqual(['Europe/Amsterdam']);
		expect(feed.events.every((e) => e.start.tzid === 'Europe/Amsterdam' && e.end.tzid === 'Europe/Amsterdam')).toBe(true);
	});

	it('keeps 18:00 local time on both sides of both clock changes', () => {
		const regular = feed.events.filter((e) => e.sequence === 0);
		expect(regular).toHaveLength(32);
		expect(regular.every((e) => e.start.local.endsWith(' 18:00') && e.end.local.endsWith(' 20:30'))).toBe(true);
		const byDay = new Map(regular.map((e) => [e.start.local.slice(0, 10), e.start.utc]));
		// Winter time is UTC+1, summer time UTC+2: the instant moves, the local time does not.
		expect(byDay.get('2026-03-17')).toBe('2026-03-17T17:00:00.000Z');
		expect(byDay.get('2026-03-31')).toBe('2026-03-31T16:00:00.000Z');
		expect(byDay.get('2026-10-20')).toBe('2026-10-20T16:00:00.000Z');
		expect(byDay.get('2026-10-27')).toBe('2026-10-27T17:00:00.000Z');
	});

	it('keeps a cancelled date with STATUS:CANCELLED, its reason and a higher SEQUENCE', () => {
		const cancelled = feed.events.find((e) => e.status === 'CANCELLED')!;
		expect(cancelled.start.local).toBe('2026-03-24 18:00');
		expect(cancelled.sequence).toBe(1);
		expect(cancelled.summary).toMatch(/^Afgelast: Dinsdagdiner/);
		expect(cancelled.description).toContain('Reden: Het buurthuis is dicht');
	});

	it('shows a moved date at its new time and place, with the same UID and a higher SEQUENCE', () => {
		const moved = feed.events.find((e) => e.uid === gatheringUid(gatherings[at('2026-04-07')]!))!;
		expect(moved.start.local).toBe('2026-04-08 19:00');
		expect(moved.sequence).toBe(2);
		expect(moved.location).toBe('De Bieb');
		expect(moved.lastModified).toBe('2026-04-01T08:00:00.000Z');
	});

	it('gives stable UIDs keyed on the slot in the series, and DTSTAMP as the last change', () => {
		expect(feed.events.map((e) => e.uid)).toEqual(gatherings.map((g) => `${activity.id}-${g.occurrence_starts_at.replace(/[-:]/g, '').replace('.000', '')}@buurtbord`));
		expect(new Set(feed.events.map((e) => e.uid)).size).toBe(34);
		expect(feed.events[0]!.dtstamp).toBe('2026-03-02T09:00:00.000Z');
		expect(raw).toMatch(/^DTSTAMP:\d{8}T\d{6}Z\r$/m);
	});

	it('describes cost, what to bring and links back to the board', () => {
		const first = feed.events[0]!;
		expect(first.description).toContain('Kosten: geef wat je kunt');
		expect(first.description).toContain('Neem mee: een bord en bestek');
		expect(first.description).toContain(`Aanmelden: ${origin}/g/${gatherings[0]!.id}`);
		expect(first.url).toBe(`${origin}/g/${gatherings[0]!.id}`);
		expect(first.location).toBe('Buurthuis De Linde, Lindestraat 1, Utrecht');
	});

	it('asks clients to refresh hourly and folds long lines', () => {
		expect(feed.props['REFRESH-INTERVAL']).toBe('PT1H');
		expect(feed.props['X-PUBLISHED-TTL']).toBe('PT1H');
		expect(raw).toContain('\r\n ');
		expect(linesFolded(raw)).toBe(true);
	});

	it('gives the same bytes for the same data (so the ETag holds)', () => {
		expect(buildCalendar(entries, { name: 'Dinsdagdiner', origin, text })).toBe(raw);
		expect(feedEtag(raw)).toBe(feedEtag(raw));
		expect(feedEtag(raw)).not.toBe(feedEtag(raw.replace('De Bieb', 'De Boeb')));
	});

	it('builds the same bytes from cached events, and rebuilds a changed one', () => {
		const eventCache = { map: new Map<string, string>(), scope: 'nl' };
		expect(buildCalendar(entries, { name: 'Dinsdagdiner', origin, text, eventCache })).toBe(raw);
		expect(eventCache.map.size).toBe(34);
		const changed = entries.map((e, i) => (i === 5 ? { ...e, gathering: { ...e.gathering, status: 'cancelled' as const, sequence: 1, updated_at: '2026-05-01T00:00:00Z' } } : e));
		const fromCache = buildCalendar(changed, { name: 'Dinsdagdiner', origin, text, eventCache });
		expect(fromCache).toBe(buildCalendar(changed, { name: 'Dinsdagdiner', origin, text }));
		expect(fromCache).not.toBe(raw);
		expect(eventCache.map.size).toBe(35);
	});

	it('marks a personal waitlisted date, and a place someone helps at', () => {
		const personal = parseFeed(
			buildCalendar(
				[
					{ gathering: gatherings[0]!, activity, roles: ['waitlist'] },
					{ gathering: gatherings[2]!, activity, roles: ['going', 'helping'], helpsWith: ['Koken'] }
				],
				{ name: 'Mijn buurt', origin, text }
			)
		);
		expect(personal.events[0]!.summary).toMatch(/^Wachtlijst: /);
		expect(personal.events[0]!.status).toBe('TENTATIVE');
		expect(personal.events[1]!.description).toContain('Jij: going, helping (Koken)');
	});
});

describe('the RRULE form', () => {
	const raw = buildSeriesCalendar([{ activity, gatherings }], { name: 'Dinsdagdiner', origin, text });
	const feed = parseFeed(raw);
	const expanded = feed.expand(new Date('2026-11-04T00:00:00Z'));

	it('has one master and overrides only for the cancelled and the moved date', () => {
		expect(feed.events.filter((e) => e.rrule)).toHaveLength(1);
		expect(feed.events.filter((e) => e.recurrenceId).map((e) => e.recurrenceId!.local)).toEqual(['2026-03-24 18:00', '2026-04-07 18:00']);
		expect(linesFolded(raw)).toBe(true);
	});

	it('expands to 18:00 local every Tuesday across both clock changes', () => {
		const byDate = new Map(expanded.map((o) => [o.occurrence.local.slice(0, 10), o]));
		for (const day of ['2026-03-17', '2026-03-31', '2026-06-02', '2026-10-20', '2026-10-27', '2026-11-03']) {
			expect(byDate.get(day)?.start.local).toBe(`${day} 18:00`);
		}
		expect(byDate.get('2026-03-31')!.start.utc).toBe('2026-03-31T16:00:00.000Z');
		expect(byDate.get('2026-10-27')!.start.utc).toBe('2026-10-27T17:00:00.000Z');
	});

	it('applies the cancellation and the move as overrides with their SEQUENCE', () => {
		const cancelled = expanded.find((o) => o.occurrence.local === '2026-03-24 18:00')!;
		expect(cancelled.status).toBe('CANCELLED');
		expect(cancelled.sequence).toBe(1);
		const moved = expanded.find((o) => o.occurrence.local === '2026-04-07 18:00')!;
		expect(moved.start.local).toBe('2026-04-08 19:00');
		expect(moved.sequence).toBe(2);
	});

	it('excludes a date of the rule that has no gathering', () => {
		const withGap = gatherings.filter((_, i) => i !== at('2026-03-31'));
		const gap = parseFeed(buildSeriesCalendar([{ activity, gatherings: withGap }], { name: 'x', origin, text }));
		const days = gap.expand(new Date('2026-11-04T00:00:00Z')).map((o) => o.occurrence.local.slice(0, 10));
		expect(days).not.toContain('2026-03-31');
		expect(days).toContain('2026-04-14');
	});
});

describe('conditional requests', () => {
	const etag = '"abc"';
	const lastModified = new Date('2026-03-02T09:00:00.500Z');
	it('answers 304 for a matching ETag (also weak, also in a list) and not for another', () => {
		expect(notModified({ ifNoneMatch: '"abc"', ifModifiedSince: null }, etag, lastModified)).toBe(true);
		expect(notModified({ ifNoneMatch: 'W/"abc"', ifModifiedSince: null }, etag, lastModified)).toBe(true);
		expect(notModified({ ifNoneMatch: '"x", "abc"', ifModifiedSince: null }, etag, lastModified)).toBe(true);
		expect(notModified({ ifNoneMatch: '"x"', ifModifiedSince: lastModified.toUTCString() }, etag, lastModified)).toBe(false);
	});
	it('answers 304 when not modified since, and not for an older date or nonsense', () => {
		expect(notModified({ ifNoneMatch: null, ifModifiedSince: 'Mon, 02 Mar 2026 09:00:00 GMT' }, etag, lastModified)).toBe(true);
		expect(notModified({ ifNoneMatch: null, ifModifiedSince: 'Mon, 02 Mar 2026 08:59:59 GMT' }, etag, lastModified)).toBe(false);
		expect(notModified({ ifNoneMatch: null, ifModifiedSince: 'gisteren' }, etag, lastModified)).toBe(false);
		expect(notModified({ ifNoneMatch: null, ifModifiedSince: null }, etag, lastModified)).toBe(false);
	});
});
