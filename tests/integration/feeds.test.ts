import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localToInstant } from '../../src/lib/activities/recurrence.ts';
import { anonDataClient, memberDataClient, serviceDataClient } from '../../src/lib/server/db/client.ts';
import { cancelGathering, moveGathering } from '../../src/lib/activities/activities.server.ts';
import {
	activityFeed,
	feedStats,
	gatheringFile,
	makePersonalFeedLink,
	neighbourhoodFeed,
	personalFeed,
	personalFeedLink,
	stopPersonalFeedLink
} from '../../src/lib/feeds/feeds.server.ts';
import { seal } from '../../src/lib/server/auth/sealing.ts';
import { listFeedGatherings } from '../../src/lib/feeds/queries.server.ts';
import { DATA_API_MAX_ROWS } from '../../src/lib/server/db/client.ts';
import { linesFolded, parseFeed } from '../support/parse-ical.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Feeds built from the real database through PostgREST, read back with ical.js: dates across
 * both clock changes of 2027, cancellations, moves and SEQUENCE, who sees which feed, no names
 * in public feeds, personal tokens, and 304s without building again.
 */
const origin = 'https://buurt.example';
const none = { ifNoneMatch: null, ifModifiedSince: null };
const PERMISSION_DENIED = '42501';

// Every Tuesday at 18:00 in Amsterdam from 16 March to 9 November 2027 (clocks change on 28 March and 31 October).
const tuesdays = Array.from({ length: 35 }, (_, week) =>
	localToInstant(new Date(Date.UTC(2027, 2, 16 + 7 * week)).toISOString().slice(0, 10), '18:00', 'Europe/Amsterdam').toISOString()
);
const dayOf = (day: string) => tuesdays.find((t) => t.startsWith(day))!;

let home: { id: string; slug: string; name: string };
let host: string;
let anna: string;
let wim: string;
let helper: string;
let outsider: string;
let dinner: string;
let walk: string;
let gatheringAt: Map<string, string>;
let clock = Date.now();
/** Each step later than the last, past the 30 seconds a public feed is trusted from memory. */
const tokenOf = (url: string | null) => /personal\/([^/.]+)\.ics$/.exec(url!)![1]!;
const later = () => new Date((clock += 31_000));

const names = ['Hanna', 'Anna', 'Wim', 'Henk', 'Olga'];

beforeAll(async () => {
	home = await createNeighbourhood('Feedbuurt');
	host = await createMember('Hanna', home.id);
	anna = await createMember('Anna', home.id);
	wim = await createMember('Wim', home.id);
	helper = await createMember('Henk', home.id);
	outsider = await createMember('Olga');
	dinner = await createActivityWithGatherings(home.id, host, tuesdays, 'Dinsdagdiner');
	await adminDb().query(`update activity set what_to_bring = 'Een bord', description = 'Samen eten', place_address = 'Lindestraat 1' where id = $1`, [dinner]);
	walk = await createActivityWithGatherings(home.id, helper, [dayOf('2027-04-06')], 'Ommetje');
	const { rows } = await adminDb().query<{ id: string; starts_at: Date }>('select id, starts_at from gathering where activity_id = $1', [dinner]);
	gatheringAt = new Map(rows.map((r) => [r.starts_at.toISOString().slice(0, 10), r.id]));
	const first = gatheringAt.get('2027-03-16')!;
	// Arranged as the owner: Anna goes to the first dinner, Wim waits for it, Henk cooks at the second.
	await adminDb().query(
		`insert into attendance (gathering_id, member_id, status, waitlist_position, going_since) values
		 ($1, $2, 'going', null, now()), ($1, $3, 'waitlist', 1, null)`,
		[first, anna, wim]
	);
	await adminDb().query(
		`insert into slot_pledge (slot_id, member_id, quantity)
		 select s.id, $2, 1 from gathering_slot s where s.gathering_id = $1 and s.label = 'Koken'`,
		[gatheringAt.get('2027-03-23')!, helper]
	);
});
afterAll(closeAdminDb);

async function fetchFeed(run: () => Promise<Awaited<ReturnType<typeof activityFeed>>>) {
	const answer = await run();
	if (!answer || answer.status !== 200) throw new Error(`expected a feed, got ${answer?.status ?? 'nothing'}`);
	return { answer, feed: parseFeed(answer.body) };
}

describe("an activity's feed", () => {
	it('has every gathering at 18:00 local time across both clock changes, in its named zone', async () => {
		const { answer, feed } = await fetchFeed(() => activityFeed(dinner, { origin, locale: 'nl', conditional: none, now: later() }));
		expect(feed.events).toHaveLength(35);
		expect(feed.timezones).toEqual(['Europe/Amsterdam']);
		expect(feed.events.every((e) => e.start.local.endsWith(' 18:00') && e.start.tzid === 'Europe/Amsterdam')).toBe(true);
		const byDay = new Map(feed.events.map((e) => [e.start.local.slice(0, 10), e.start.utc]));
		expect(byDay.get('2027-03-23')).toBe('2027-03-23T17:00:00.000Z');
		expect(byDay.get('2027-03-30')).toBe('2027-03-30T16:00:00.000Z');
		expect(byDay.get('2027-10-26')).toBe('2027-10-26T16:00:00.000Z');
		expect(byDay.get('2027-11-02')).toBe('2027-11-02T17:00:00.000Z');
		expect(feed.props['X-PUBLISHED-TTL']).toBe('PT1H');
		expect(feed.props['REFRESH-INTERVAL']).toBe('PT1H');
		expect(linesFolded(answer.body)).toBe(true);
		const first = feed.events[0]!;
		expect(first.description).toContain('Kosten: Gratis');
		expect(first.description).toContain('Neem mee: Een bord');
		expect(first.url).toBe(`${origin}/g/${gatheringAt.get('2027-03-16')}`);
		expect(first.location).toBe('Buurthuis, Lindestraat 1');
	});

	it('holds no names or contact details, though people signed up and pledged', async () => {
		const { answer } = await fetchFeed(() => activityFeed(dinner, { origin, locale: 'en', conditional: none, now: later() }));
		for (const name of names) expect(answer.body).not.toContain(name);
		expect(answer.body).not.toMatch(/ATTENDEE|ORGANIZER|CONTACT|mailto:/);
		expect(answer.body).toContain('Cost: Free');
	});

	it('keeps a cancelled date with STATUS:CANCELLED and a higher SEQUENCE; a moved one at its new time, same UID', async () => {
		const hostDb = await memberDataClient(host);
		const before = (await fetchFeed(() => activityFeed(dinner, { origin, locale: 'nl', conditional: none, now: later() }))).feed;
		const movedId = gatheringAt.get('2027-10-26')!;
		const uidOf = (feed: typeof before, day: string) => feed.events.find((e) => e.url?.endsWith(gatheringAt.get(day)!))!.uid;

		expect(await cancelGathering(hostDb, gatheringAt.get('2027-03-30')!, 'Het buurthuis is dicht')).toBe(true);
		// Moved from Tuesday 26 October (summer time) to Monday 1 November 19:00 (winter time), in the library.
		expect(await moveGathering(hostDb, movedId, { date: '2027-11-01', start_time: '19:00', end_time: '21:00', place_name: 'De Bieb', place_address: '' }, 'Europe/Amsterdam')).toBe(true);

		const after = (await fetchFeed(() => activityFeed(dinner, { origin, locale: 'nl', conditional: none, now: later() }))).feed;
		expect(after.events).toHaveLength(35);
		const cancelled = after.events.find((e) => e.uid === uidOf(before, '2027-03-30'))!;
		expect(cancelled.status).toBe('CANCELLED');
		expect(cancelled.sequence).toBe(1);
		expect(cancelled.summary).toBe('Afgelast: Dinsdagdiner');
		expect(cancelled.description).toContain('Waarom: Het buurthuis is dicht');
		const moved = after.events.find((e) => e.uid === uidOf(before, '2027-10-26'))!;
		expect(moved.start).toEqual({ utc: '2027-11-01T18:00:00.000Z', local: '2027-11-01 19:00', tzid: 'Europe/Amsterdam' });
		expect(moved.sequence).toBe(1);
		expect(moved.location).toBe('De Bieb');

		// Moving it again raises SEQUENCE again.
		await moveGathering(hostDb, movedId, { date: '2027-11-01', start_time: '19:30', end_time: '21:00', place_name: 'De Bieb', place_address: '' }, 'Europe/Amsterdam');
		const again = (await fetchFeed(() => activityFeed(dinner, { origin, locale: 'nl', conditional: none, now: later() }))).feed;
		const movedAgain = again.events.find((e) => e.uid === moved.uid)!;
		expect(movedAgain.sequence).toBe(2);
		expect(movedAgain.start.local).toBe('2027-11-01 19:30');
		expect(Date.parse(movedAgain.lastModified!)).toBeGreaterThanOrEqual(Date.parse(moved.lastModified!));
	});

	it('answers a conditional request with 304 without building the feed again, and 200 after a change', async () => {
		const fresh = await activityFeed(dinner, { origin, locale: 'nl', conditional: none, now: later() });
		expect(fresh?.status).toBe(200);
		const built = feedStats.built;
		const byEtag = await activityFeed(dinner, { origin, locale: 'nl', conditional: { ifNoneMatch: fresh!.etag, ifModifiedSince: null }, now: later() });
		expect(byEtag?.status).toBe(304);
		const byDate = await activityFeed(dinner, { origin, locale: 'nl', conditional: { ifNoneMatch: null, ifModifiedSince: fresh!.lastModified.toUTCString() }, now: later() });
		expect(byDate?.status).toBe(304);
		expect(feedStats.built).toBe(built);

		await adminDb().query(`update activity set title = 'Dinsdagdiner!' where id = $1`, [dinner]);
		const changed = await activityFeed(dinner, { origin, locale: 'nl', conditional: { ifNoneMatch: fresh!.etag, ifModifiedSince: null }, now: later() });
		expect(changed?.status).toBe(200);
		expect(changed!.etag).not.toBe(fresh!.etag);
		expect(feedStats.built).toBe(built + 1);
		await adminDb().query(`update activity set title = 'Dinsdagdiner' where id = $1`, [dinner]);
	});

	it('is not found for an activity that does not exist', async () => {
		expect(await activityFeed('00000000-0000-4000-8000-000000000000', { origin, locale: 'nl', conditional: none, now: later() })).toBeNull();
	});
});

describe("a neighbourhood's feed", () => {
	it('has the gatherings of all its activities and no names', async () => {
		const { answer, feed } = await fetchFeed(() => neighbourhoodFeed(home.slug, { origin, locale: 'nl', conditional: none, now: later() }));
		expect(feed.events).toHaveLength(36);
		expect(feed.props['X-WR-CALNAME']).toBe('Feedbuurt · Buurtbord');
		expect(feed.events.filter((e) => e.summary === 'Ommetje').map((e) => e.start.local)).toEqual(['2027-04-06 18:00']);
		for (const name of names) expect(answer.body).not.toContain(name);
		expect(answer.body).not.toMatch(/ATTENDEE|ORGANIZER|mailto:/);
	});

	it('is not found for an unknown neighbourhood', async () => {
		expect(await neighbourhoodFeed('nergens-te-vinden', { origin, locale: 'nl', conditional: none, now: later() })).toBeNull();
	});
});

describe('one gathering as a file', () => {
	it('has one event with the same UID as in the feed', async () => {
		const id = gatheringAt.get('2027-04-06')!;
		const answer = await gatheringFile(id, { origin, locale: 'nl', conditional: none });
		expect(answer?.status).toBe(200);
		const file = parseFeed(answer!.status === 200 ? answer!.body : '');
		expect(file.events).toHaveLength(1);
		const { feed } = await fetchFeed(() => activityFeed(dinner, { origin, locale: 'nl', conditional: none, now: later() }));
		expect(file.events[0]!.uid).toBe(feed.events.find((e) => e.url === `${origin}/g/${id}`)!.uid);
		const again = await gatheringFile(id, { origin, locale: 'nl', conditional: { ifNoneMatch: answer!.etag, ifModifiedSince: null } });
		expect(again?.status).toBe(304);
	});
});

describe('a personal feed', () => {
	it('shows where a member goes; a waitlisted date marked as such', async () => {
		await makePersonalFeedLink(anna);
		await makePersonalFeedLink(wim);
		const annaLink = (await personalFeedLink(await memberDataClient(anna), anna, origin))!;
		const wimLink = (await personalFeedLink(await memberDataClient(wim), wim, origin))!;
		const annas = (await fetchFeed(() => personalFeed(tokenOf(annaLink.url), { origin, conditional: none }))).feed;
		expect(annas.events.map((e) => e.start.local)).toEqual(['2027-03-16 18:00']);
		expect(annas.events[0]!.summary).toBe('Dinsdagdiner');
		expect(annas.events[0]!.description).toContain('Je gaat.');
		const wims = (await fetchFeed(() => personalFeed(tokenOf(wimLink.url), { origin, conditional: none }))).feed;
		expect(wims.events).toHaveLength(1);
		expect(wims.events[0]!.summary).toBe('Wachtlijst: Dinsdagdiner');
		expect(wims.events[0]!.status).toBe('TENTATIVE');
	});

	it('shows what a member hosts and where they help, in their own language', async () => {
		await adminDb().query(`update member set locale = 'en' where id = $1`, [helper]);
		await makePersonalFeedLink(helper);
		const link = (await personalFeedLink(await memberDataClient(helper), helper, origin))!;
		const { feed } = await fetchFeed(() => personalFeed(tokenOf(link.url), { origin, conditional: none }));
		expect(feed.events.map((e) => `${e.summary} ${e.start.local}`)).toEqual(['Dinsdagdiner 2027-03-23 18:00', 'Ommetje 2027-04-06 18:00']);
		expect(feed.events[0]!.description).toContain('You are helping: Koken.');
		expect(feed.events[1]!.description).toContain('You are hosting.');
		expect(feed.props['X-WR-CALNAME']).toBe('My Buurtbord');
	});

	it('after the server secret changed, the link can no longer be shown, still works, and can be replaced', async () => {
		const db = await memberDataClient(wim);
		const token = await makePersonalFeedLink(wim);
		// Sealed with a secret the server no longer has (AUTH_SECRET was changed since).
		const sealedBefore = await seal('a-secret-from-before-it-was-changed-0123456789', token);
		await adminDb().query('update calendar_feed_token set token_sealed = $1 where member_id = $2 and revoked_at is null', [sealedBefore, wim]);
		const link = (await personalFeedLink(db, wim, origin))!;
		expect(link.url).toBeNull();
		expect(Date.parse(link.createdAt)).not.toBeNaN();
		expect((await personalFeed(token, { origin, conditional: none }))?.status).toBe(200);
		// A new link is readable again.
		await makePersonalFeedLink(wim);
		expect((await personalFeedLink(db, wim, origin))!.url).toMatch(/\/personal\/[^/.]+\.ics$/);
	});

	it('answers 304 when nothing changed, and a new link stops the old one at once', async () => {
		const db = await memberDataClient(anna);
		const old = tokenOf((await personalFeedLink(db, anna, origin))!.url);
		const first = await personalFeed(old, { origin, conditional: none });
		expect(first?.status).toBe(200);
		expect((await personalFeed(old, { origin, conditional: { ifNoneMatch: first!.etag, ifModifiedSince: null } }))?.status).toBe(304);

		await makePersonalFeedLink(anna);
		expect(await personalFeed(old, { origin, conditional: none })).toBeNull();
		expect(await personalFeed(old, { origin, conditional: { ifNoneMatch: first!.etag, ifModifiedSince: null } })).toBeNull();
		const fresh = tokenOf((await personalFeedLink(db, anna, origin))!.url);
		expect(fresh).not.toBe(old);
		expect((await personalFeed(fresh, { origin, conditional: none }))?.status).toBe(200);

		expect(await stopPersonalFeedLink(db, anna)).toBe(1);
		expect(await personalFeed(fresh, { origin, conditional: none })).toBeNull();
		expect(await personalFeedLink(db, anna, origin)).toBeNull();
	});

	it('refuses tokens that were never made', async () => {
		expect(await personalFeed('x'.repeat(43), { origin, conditional: none })).toBeNull();
		expect(await personalFeed('../../etc', { origin, conditional: none })).toBeNull();
	});
});

describe('who may see feed tokens (RLS)', () => {
	it('stores only a hash and a sealed copy, never the token', async () => {
		await makePersonalFeedLink(outsider);
		const link = (await personalFeedLink(await memberDataClient(outsider), outsider, origin))!;
		const token = tokenOf(link.url);
		const { rows } = await adminDb().query<{ token_hash: string; token_sealed: string }>('select token_hash, token_sealed from calendar_feed_token where member_id = $1 and revoked_at is null', [outsider]);
		expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(rows[0]!.token_hash).not.toContain(token);
		expect(rows[0]!.token_sealed).not.toContain(token);
	});

	it('a visitor sees none and cannot ask for a personal feed state', async () => {
		const anon = anonDataClient();
		const read = await anon.from('calendar_feed_token').select('id');
		expect(read.error?.code).toBe(PERMISSION_DENIED);
		const state = await anon.rpc('personal_feed_state', { p_token_hash: '0'.repeat(64), p_from: new Date().toISOString() });
		expect(state.error?.code).toBe(PERMISSION_DENIED);
		const mine = await anon.rpc('my_calendar', { p_from: new Date().toISOString() });
		expect(mine.error?.code).toBe(PERMISSION_DENIED);
	});

	it('a member sees only their own token, never its hash, and cannot make one themselves', async () => {
		const db = await memberDataClient(outsider);
		const own = await db.from('calendar_feed_token').select('id, member_id');
		expect(own.error).toBeNull();
		expect(own.data!.every((r) => r.member_id === outsider)).toBe(true);
		expect(own.data!.length).toBeGreaterThan(0);
		const hash = await db.from('calendar_feed_token').select('token_hash');
		expect(hash.error?.code).toBe(PERMISSION_DENIED);
		const insert = await db.from('calendar_feed_token').insert({ member_id: outsider, token_hash: 'a'.repeat(64), token_sealed: 'x' });
		expect(insert.error?.code).toBe(PERMISSION_DENIED);
		const make = await db.rpc('create_feed_token', { p_member_id: outsider, p_token_hash: 'a'.repeat(64), p_token_sealed: 'x' });
		expect(make.error?.code).toBe(PERMISSION_DENIED);
	});

	it("a coordinator or another member cannot see or switch off someone else's token", async () => {
		const coordinator = await createMember('Coby', home.id, 'coordinator');
		await makePersonalFeedLink(wim);
		for (const who of [coordinator, anna]) {
			const db = await memberDataClient(who);
			const read = await db.from('calendar_feed_token').select('id').eq('member_id', wim);
			expect(read.data).toEqual([]);
			const revoke = await db.from('calendar_feed_token').update({ revoked_at: new Date().toISOString() }).eq('member_id', wim).select('id');
			expect(revoke.data ?? []).toEqual([]);
		}
		const { rows } = await adminDb().query('select count(*)::int as n from calendar_feed_token where member_id = $1 and revoked_at is null', [wim]);
		expect(rows[0]).toEqual({ n: 1 });
	});

	it('the service role is what makes tokens', async () => {
		const made = await serviceDataClient().rpc('create_feed_token', { p_member_id: outsider, p_token_hash: 'b'.repeat(64), p_token_sealed: 'sealed' });
		expect(made.error).toBeNull();
	});
});

describe('a feed longer than one Data API answer', () => {
	it('holds every gathering, in order, though the Data API answers at most 1,000 rows at a time', async () => {
		const neighbourhood = await createNeighbourhood('Lange lijst');
		const hostId = await createMember('Lotte', neighbourhood.id);
		const activityId = await createActivityWithGatherings(neighbourhood.id, hostId, []);
		const count = DATA_API_MAX_ROWS + 234;
		await adminDb().query(
			`insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at)
			 select $1, t, t, t + interval '150 minutes'
			 from generate_series('2030-01-01 18:00+00'::timestamptz, '2030-01-01 18:00+00'::timestamptz + ($2 - 1) * interval '1 day', interval '1 day') t`,
			[activityId, count]
		);
		// The embedded PostgREST answers at most DATA_API_MAX_ROWS rows, as Supabase's does.
		const { data } = await anonDataClient().from('gathering').select('id').eq('activity_id', activityId);
		expect(data).toHaveLength(DATA_API_MAX_ROWS);

		const listed = await listFeedGatherings(anonDataClient(), { activityId }, null);
		expect(listed).toHaveLength(count);
		const starts = listed.map((x) => Date.parse(x.gathering.starts_at));
		expect(starts).toEqual([...starts].sort((a, b) => a - b));
		expect(new Set(listed.map((x) => x.gathering.id)).size).toBe(count);
	});
});
