import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonDataClient, memberDataClient } from '../../src/lib/server/db/client.ts';
import { boardSummary, listBoardPeople, respond, pledgeToSlot } from '../../src/lib/boards/queries.server.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Capacity, waitlist order and slot quantities, enforced by SQL functions under real
 * concurrency: every request goes through supabase-js and PostgREST as its own member.
 */
let home: { id: string };
let host: string;

async function gatheringWithCapacity(capacity: number | null) {
	const activity = await createActivityWithGatherings(home.id, host, [new Date(Date.now() + 7 * 86_400_000).toISOString()], `Diner ${Math.random()}`);
	await adminDb().query('update activity set capacity = $2 where id = $1', [activity, capacity]);
	const { rows } = await adminDb().query<{ id: string }>('select id from gathering where activity_id = $1', [activity]);
	return { activity, gathering: rows[0]!.id };
}

async function members(count: number, prefix: string) {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) ids.push(await createMember(`${prefix}${i}`, home.id));
	return ids;
}

async function statuses(gathering: string) {
	const { rows } = await adminDb().query<{ member_id: string; status: string; waitlist_position: string | null }>(
		`select member_id, status, waitlist_position from attendance where gathering_id = $1 order by waitlist_position nulls first`,
		[gathering]
	);
	return rows;
}

beforeAll(async () => {
	home = await createNeighbourhood('Bordbuurt');
	host = await createMember('Hosta', home.id);
});
afterAll(closeAdminDb);

describe('attendance under concurrency', () => {
	it('200 simultaneous sign-ups on 12 places: exactly 12 going, the rest waitlisted once each; leavers are replaced strictly in order', async () => {
		const { gathering } = await gatheringWithCapacity(12);
		const people = await members(200, 'Buur');
		const clients = await Promise.all(people.map((id) => memberDataClient(id)));
		const results = await Promise.all(clients.map((db) => respond(db, gathering, 'going', 0)));
		expect(results.every((r) => r.ok)).toBe(true);

		const rows = await statuses(gathering);
		expect(rows).toHaveLength(200);
		expect(new Set(rows.map((r) => r.member_id)).size).toBe(200);
		expect(rows.filter((r) => r.status === 'going')).toHaveLength(12);
		const waiting = rows.filter((r) => r.status === 'waitlist');
		expect(waiting).toHaveLength(188);
		expect(new Set(waiting.map((r) => r.waitlist_position)).size).toBe(188);
		// What each person was told matches what is stored.
		const told = new Map(people.map((id, i) => [id, results[i]!.ok ? (results[i] as { status: string }).status : '']));
		for (const row of rows) expect(told.get(row.member_id)).toBe(row.status);

		// Five going people cancel at once: the first five in line move up, in order.
		const goingIds = rows.filter((r) => r.status === 'going').map((r) => r.member_id).slice(0, 5);
		const nextInLine = waiting.slice(0, 5).map((r) => r.member_id);
		await Promise.all(goingIds.map(async (id) => respond(await memberDataClient(id), gathering, 'not_going', 0)));
		const after = await statuses(gathering);
		const nowGoing = new Set(after.filter((r) => r.status === 'going').map((r) => r.member_id));
		expect(nowGoing.size).toBe(12);
		for (const id of nextInLine) expect(nowGoing.has(id)).toBe(true);
		expect(after.filter((r) => r.status === 'waitlist')).toHaveLength(183);
		const promoted = await adminDb().query('select count(*)::int as n from attendance where gathering_id = $1 and promoted_at is not null', [gathering]);
		expect(promoted.rows[0].n).toBe(5);
	});

	it('guests count as places, and the host bounds them', async () => {
		const { gathering } = await gatheringWithCapacity(4);
		const [a, b] = await members(2, 'Gast');
		expect(await respond(await memberDataClient(a!), gathering, 'going', 2)).toEqual({ ok: true, status: 'going' });
		expect(await respond(await memberDataClient(b!), gathering, 'going', 1)).toEqual({ ok: true, status: 'waitlist' });
		expect(await respond(await memberDataClient(b!), gathering, 'going', 3)).toEqual({ ok: false, refusal: 'guests' });
		expect((await boardSummary(anonDataClient(), gathering))).toMatchObject({ going: 3, waitlist: 1, capacity: 4 });
	});

	it('lowering capacity moves the newest back to the front of the waitlist, in order; raising it lets them back', async () => {
		const { activity, gathering } = await gatheringWithCapacity(5);
		const people = await members(6, 'Laag');
		for (const id of people) await respond(await memberDataClient(id), gathering, 'going', 0);
		expect((await statuses(gathering)).filter((r) => r.status === 'going')).toHaveLength(5);

		await adminDb().query('update activity set capacity = 3 where id = $1', [activity]);
		const rows = await statuses(gathering);
		expect(rows.filter((r) => r.status === 'going').map((r) => r.member_id).sort()).toEqual(people.slice(0, 3).sort());
		// people[3], people[4] (newest going) now lead the waitlist, ahead of people[5].
		expect(rows.filter((r) => r.status === 'waitlist').map((r) => r.member_id)).toEqual([people[3], people[4], people[5]]);

		await adminDb().query('update activity set capacity = 5 where id = $1', [activity]);
		const raised = await statuses(gathering);
		expect(raised.filter((r) => r.status === 'waitlist').map((r) => r.member_id)).toEqual([people[5]]);
	});

	it('a cancelled or past gathering takes no sign-ups, and outsiders cannot sign up', async () => {
		const { gathering } = await gatheringWithCapacity(null);
		await adminDb().query(`update gathering set status = 'cancelled' where id = $1`, [gathering]);
		const [member] = await members(1, 'Laat');
		expect(await respond(await memberDataClient(member!), gathering, 'going', 0)).toEqual({ ok: false, refusal: 'closed' });
		const outsider = await createMember('Buiten');
		const open = await gatheringWithCapacity(null);
		expect(await respond(await memberDataClient(outsider), open.gathering, 'going', 0)).toEqual({ ok: false, refusal: 'not_member' });
	});
});

describe('slots under concurrency', () => {
	it('50 people reaching for 3 desserts at once: exactly 3 get one, the others hear it is gone', async () => {
		const { gathering } = await gatheringWithCapacity(null);
		const { rows } = await adminDb().query<{ id: string }>(
			`insert into gathering_slot (gathering_id, label, kind, quantity) values ($1, 'Toetje', 'item', 3) returning id`,
			[gathering]
		);
		const slot = rows[0]!.id;
		const people = await members(50, 'Zoet');
		const results = await Promise.all(people.map(async (id) => pledgeToSlot(await memberDataClient(id), slot, 1)));
		expect(results.filter((r) => r.ok)).toHaveLength(3);
		expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.refusal === 'slot_full')).toBe(true);
		const total = await adminDb().query('select sum(quantity)::int as n, count(*)::int as c from slot_pledge where slot_id = $1', [slot]);
		expect(total.rows[0]).toEqual({ n: 3, c: 3 });
	});

	it('part of a quantity can be taken and given back', async () => {
		const { gathering } = await gatheringWithCapacity(null);
		const { rows } = await adminDb().query<{ id: string }>(
			`insert into gathering_slot (gathering_id, label, kind, quantity) values ($1, 'Stoelen', 'item', 20) returning id`,
			[gathering]
		);
		const [a, b] = await members(2, 'Stoel');
		expect(await pledgeToSlot(await memberDataClient(a!), rows[0]!.id, 15)).toEqual({ ok: true, left: 5 });
		expect(await pledgeToSlot(await memberDataClient(b!), rows[0]!.id, 6)).toEqual({ ok: false, refusal: 'slot_full', left: 5 });
		expect(await pledgeToSlot(await memberDataClient(a!), rows[0]!.id, 0)).toEqual({ ok: true, left: 20 });
	});
});

describe('who sees names on a board', () => {
	it('people on the board and hosts see names; other members and visitors see counts only', async () => {
		const { gathering } = await gatheringWithCapacity(10);
		const [on, off] = await members(2, 'Zicht');
		await respond(await memberDataClient(on!), gathering, 'going', 0);
		expect((await listBoardPeople(await memberDataClient(on!), gathering)).map((p) => p.member?.display_name)).toEqual(['Zicht0']);
		expect((await listBoardPeople(await memberDataClient(host), gathering)).map((p) => p.member?.display_name)).toEqual(['Zicht0']);
		expect(await listBoardPeople(await memberDataClient(off!), gathering)).toEqual([]);
		expect(await listBoardPeople(anonDataClient(), gathering)).toEqual([]);
		expect(await boardSummary(anonDataClient(), gathering)).toMatchObject({ going: 1, people_going: 1 });
	});
});

describe('after the gathering', () => {
	it('only people who were going answer the one question, and only hosts read all answers', async () => {
		const { gathering } = await gatheringWithCapacity(null);
		const [came, stayedHome] = await members(2, 'Na');
		await respond(await memberDataClient(came!), gathering, 'going', 0);
		// The gathering has started.
		await adminDb().query(`update gathering set starts_at = now() - interval '1 hour' where id = $1`, [gathering]);
		const { leaveFeedback, listFeedback, markArrival } = await import('../../src/lib/boards/queries.server.ts');
		expect(await leaveFeedback(await memberDataClient(came!), gathering, 3, 'Gezellig!')).toBe(true);
		expect(await leaveFeedback(await memberDataClient(stayedHome!), gathering, 1, 'spam')).toBe(false);
		expect(await listFeedback(await memberDataClient(host), gathering, host)).toEqual([{ rating: 3, comment: 'Gezellig!', mine: false }]);
		expect(await listFeedback(await memberDataClient(stayedHome!), gathering, stayedHome!)).toEqual([]);
		expect(await markArrival(await memberDataClient(stayedHome!), gathering, came!, true)).toBe(false);
		expect(await markArrival(await memberDataClient(host), gathering, came!, true)).toBe(true);
		const { rows } = await adminDb().query('select came from attendance where gathering_id = $1 and member_id = $2', [gathering, came]);
		expect(rows[0].came).toBe(true);
	});
});

describe('regulars', () => {
	it('"I come every week" signs up for every upcoming date, new dates included; skipping one date stays skipped', async () => {
		const { setStandingSignup } = await import('../../src/lib/boards/queries.server.ts');
		const activity = await createActivityWithGatherings(
			home.id,
			host,
			[1, 2, 3].map((w) => new Date(Date.now() + w * 7 * 86_400_000).toISOString()),
			'Wekelijks'
		);
		const [regular] = await members(1, 'Vast');
		const db = await memberDataClient(regular!);
		expect(await setStandingSignup(db, activity, true, 1)).toBe(true);
		const going = async () =>
			(await adminDb().query(
				`select g.starts_at, a.status, a.guests from gathering g left join attendance a on a.gathering_id = g.id and a.member_id = $2
				 where g.activity_id = $1 order by g.starts_at`,
				[activity, regular]
			)).rows;
		expect((await going()).map((r) => [r.status, r.guests])).toEqual([['going', 1], ['going', 1], ['going', 1]]);

		// Skip the second date.
		const second = (await adminDb().query('select id from gathering where activity_id = $1 order by starts_at offset 1 limit 1', [activity])).rows[0].id;
		await respond(db, second, 'not_going', 0);
		// A new date appears (the series grows): the regular is on it, the skipped date stays skipped.
		await adminDb().query(
			`insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at)
			 values ($1, now() + interval '28 days', now() + interval '28 days', now() + interval '28 days 2 hours')`,
			[activity]
		);
		expect((await going()).map((r) => r.status)).toEqual(['going', 'not_going', 'going', 'going']);
		const promoted = await adminDb().query('select count(*)::int as n from attendance where member_id = $1 and promoted_at is not null', [regular]);
		expect(promoted.rows[0].n).toBe(0);
	});

	it('regulars beyond capacity wait in the order they became regulars', async () => {
		const { setStandingSignup } = await import('../../src/lib/boards/queries.server.ts');
		const activity = await createActivityWithGatherings(home.id, host, [], 'Vol');
		await adminDb().query('update activity set capacity = 1 where id = $1', [activity]);
		const [first, second] = await members(2, 'Rij');
		await setStandingSignup(await memberDataClient(first!), activity, true);
		await setStandingSignup(await memberDataClient(second!), activity, true);
		const { rows } = await adminDb().query<{ id: string }>(
			`insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at)
			 values ($1, now() + interval '5 days', now() + interval '5 days', now() + interval '5 days 2 hours') returning id`,
			[activity]
		);
		expect((await statuses(rows[0]!.id)).map((r) => [r.member_id, r.status])).toEqual([
			[first, 'going'],
			[second, 'waitlist']
		]);
	});
});

describe('places held for first-timers', () => {
	it('regulars cannot take held places; a first-timer can; at release time the waitlist moves up', async () => {
		const { activity, gathering } = await gatheringWithCapacity(3);
		await adminDb().query('update activity set first_timer_places = 1, first_timer_release_hours = 24 where id = $1', [activity]);
		// Three regulars: they went to an earlier date of this activity.
		const regulars = await members(3, 'Trouw');
		const { rows: earlier } = await adminDb().query<{ id: string }>(
			`insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at)
			 values ($1, now() + interval '2 days', now() + interval '2 days', now() + interval '2 days 2 hours') returning id`,
			[activity]
		);
		for (const id of regulars) await respond(await memberDataClient(id), earlier[0]!.id, 'going', 0);

		const answers = [];
		for (const id of regulars) answers.push(await respond(await memberDataClient(id), gathering, 'going', 0));
		expect(answers.map((a) => (a.ok ? a.status : a.refusal))).toEqual(['going', 'going', 'waitlist']);
		expect(await boardSummary(anonDataClient(), gathering)).toMatchObject({ going: 2, held_for_newcomers: 1, waitlist: 1 });

		const [newcomer] = await members(1, 'Nieuw');
		expect(await respond(await memberDataClient(newcomer!), gathering, 'going', 0)).toEqual({ ok: true, status: 'going' });
		expect(await boardSummary(anonDataClient(), gathering)).toMatchObject({ going: 3, held_for_newcomers: 0, waitlist: 1 });

		// The newcomer can't come after all; the held place opens for anyone once released.
		await respond(await memberDataClient(newcomer!), gathering, 'not_going', 0);
		expect(await boardSummary(anonDataClient(), gathering)).toMatchObject({ going: 2, held_for_newcomers: 1, waitlist: 1 });
		await adminDb().query(`update gathering set starts_at = now() + interval '2 hours', ends_at = now() + interval '4 hours' where id = $1`, [gathering]);
		const { releaseHeldPlaces } = await import('../../src/lib/boards/boards.server.ts');
		const { serviceDataClient } = await import('../../src/lib/server/db/client.ts');
		expect(await releaseHeldPlaces(serviceDataClient())).toContain(gathering);
		expect(await boardSummary(anonDataClient(), gathering)).toMatchObject({ going: 3, held_for_newcomers: 0, waitlist: 0 });
		// Nobody moves up a second time, so the board is not announced again.
		expect(await releaseHeldPlaces(serviceDataClient())).not.toContain(gathering);
	});
	it('the first-time mark follows the dates, not the order of clicks, and follows dates that move or are cancelled', async () => {
		const { activity, gathering: later } = await gatheringWithCapacity(null);
		const { rows: made } = await adminDb().query<{ id: string }>(
			`insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at)
			 values ($1, now() + interval '2 days', now() + interval '2 days', now() + interval '2 days 2 hours') returning id`,
			[activity]
		);
		const sooner = made[0]!.id;
		const [person] = await members(1, 'Volg');
		const db = await memberDataClient(person!);
		const marks = async () => {
			const { rows } = await adminDb().query<{ gathering_id: string; first_time: boolean }>(
				'select gathering_id, first_time from attendance where member_id = $1',
				[person]
			);
			return { sooner: rows.find((r) => r.gathering_id === sooner)?.first_time, later: rows.find((r) => r.gathering_id === later)?.first_time };
		};
		// Next month's date first: new there.
		await respond(db, later, 'going', 0);
		expect(await marks()).toEqual({ sooner: undefined, later: true });
		// Then the sooner date: new there, and no longer at the later one.
		await respond(db, sooner, 'going', 0);
		expect(await marks()).toEqual({ sooner: true, later: false });
		// Can't come to the sooner one after all: the later one is their first again.
		await respond(db, sooner, 'not_going', 0);
		expect(await marks()).toEqual({ sooner: true, later: true });
		await respond(db, sooner, 'going', 0);
		expect(await marks()).toEqual({ sooner: true, later: false });
		// The sooner date moves past the later one: the order of the dates turns round.
		await adminDb().query(
			`update gathering set starts_at = now() + interval '9 days', ends_at = now() + interval '9 days 2 hours' where id = $1`,
			[sooner]
		);
		expect(await marks()).toEqual({ sooner: false, later: true });
		// A cancelled date is no date been to.
		await adminDb().query(`update gathering set status = 'cancelled' where id = $1`, [later]);
		expect(await marks()).toEqual({ sooner: true, later: true });
		// Those who run it see the mark where it now is (the runners' part of the board).
		const { rows: views } = await adminDb().query<{ parts: { runners: { first_timers: string[] } } }>(
			'select board_audience_views($1) as parts',
			[sooner]
		);
		const { rows: own } = await adminDb().query<{ id: string }>('select id from attendance where gathering_id = $1 and member_id = $2', [sooner, person]);
		expect(views[0]!.parts.runners.first_timers).toEqual([own[0]!.id]);
	});
});

describe('telling and thanking', () => {
	it('people moved back to the waitlist are marked so they can be told', async () => {
		const { activity, gathering } = await gatheringWithCapacity(2);
		const people = await members(2, 'Terug');
		for (const id of people) await respond(await memberDataClient(id), gathering, 'going', 0);
		await adminDb().query('update activity set capacity = 1 where id = $1', [activity]);
		const mine = await listBoardPeople(await memberDataClient(people[1]!), gathering);
		expect(mine.find((p) => p.member_id === people[1])).toMatchObject({ status: 'waitlist', demoted_at: expect.any(String) });
	});

	it('hosts thank helpers; helpers see what they did and their thanks', async () => {
		const { thankForHelp, myGatheringContributions, listPledges } = await import('../../src/lib/boards/queries.server.ts');
		const { gathering } = await gatheringWithCapacity(null);
		const { rows } = await adminDb().query<{ id: string }>(
			`insert into gathering_slot (gathering_id, label, kind, quantity) values ($1, 'Koken', 'role', 2) returning id`,
			[gathering]
		);
		const [cook, other] = await members(2, 'Kok');
		// A role is for someone who is coming (20261205090000_roles_need_a_place.sql).
		await respond(await memberDataClient(cook!), gathering, 'going', 0);
		expect(await pledgeToSlot(await memberDataClient(cook!), rows[0]!.id, 1)).toMatchObject({ ok: true });
		await adminDb().query(`update gathering set starts_at = now() - interval '3 hours', ends_at = now() - interval '1 hour' where id = $1`, [gathering]);
		const [pledge] = await listPledges(await memberDataClient(host), [rows[0]!.id]);
		expect(await thankForHelp(await memberDataClient(other!), pledge!.id, 'nep')).toBe(false);
		expect(await thankForHelp(await memberDataClient(host), pledge!.id, 'Dank je voor de soep!')).toBe(true);
		expect(await myGatheringContributions(await memberDataClient(cook!))).toEqual([
			{ label: 'Koken', kind: 'role', times: 1, quantity: 1, last_thanks: 'Dank je voor de soep!' }
		]);
		expect(await myGatheringContributions(await memberDataClient(other!))).toEqual([]);
	});
});
