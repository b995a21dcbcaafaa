import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonDataClient, memberDataClient } from '../../src/lib/server/db/client.ts';
import { listMyPlans, listPlacesLeft, pledgeToSlot, respond } from '../../src/lib/boards/queries.server.ts';
import { askOrOfferHelp } from '../../src/lib/help/queries.server.ts';
import { myPlans } from '../../src/lib/boards/boards.server.ts';
import { neighbourhoodAgenda } from '../../src/lib/agenda/agenda.server.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * "What am I going to?" (my_plans) and how full each date is (places_left), through PostgREST as
 * each person: one's own plans only, the waitlist as a place in line, counts for visitors too.
 */
let home: { id: string; slug: string };
let host: string;
let gathering: string;
let later: string;
const soon = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

beforeAll(async () => {
	home = await createNeighbourhood('Plannenbuurt');
	host = await createMember('Gastvrouw', home.id);
	const activity = await createActivityWithGatherings(home.id, host, [soon(3), soon(10)], 'Plannendiner');
	await adminDb().query('update activity set capacity = 3 where id = $1', [activity]);
	const { rows } = await adminDb().query<{ id: string }>('select id from gathering where activity_id = $1 order by starts_at', [activity]);
	[gathering, later] = [rows[0]!.id, rows[1]!.id];
});
afterAll(closeAdminDb);

describe('my plans', () => {
	it('lists one’s own answers with guests, waitlist place, roles and help, and nobody else’s', async () => {
		const [ada, bo, cem, dirk] = await Promise.all(['Ada', 'Bo', 'Cem', 'Dirk'].map((name) => createMember(name, home.id)));
		const db = Object.fromEntries(await Promise.all(Object.entries({ ada, bo, cem, dirk }).map(async ([k, id]) => [k, await memberDataClient(id!)])));
		expect(await respond(db.ada, gathering, 'going', 1)).toMatchObject({ status: 'going' });
		expect(await respond(db.bo, gathering, 'going', 0)).toMatchObject({ status: 'going' });
		expect(await respond(db.cem, gathering, 'going', 0)).toMatchObject({ status: 'waitlist' });
		expect(await respond(db.dirk, gathering, 'going', 0)).toMatchObject({ status: 'waitlist' });
		expect(await respond(db.dirk, later, 'maybe', 0)).toMatchObject({ status: 'maybe' });
		const { rows } = await adminDb().query<{ id: string; label: string }>('select id, label from gathering_slot where gathering_id = $1 order by position limit 1', [gathering]);
		expect(await pledgeToSlot(db.ada, rows[0]!.id, 1)).toMatchObject({ ok: true });
		expect(await askOrOfferHelp(db.ada, gathering, { side: 'ask', kind: 'ride', amount: 1, note: '' })).toMatchObject({ ok: true });

		const ada_ = await listMyPlans(db.ada, new Date());
		expect(ada_).toEqual([
			{ gathering_id: gathering, status: 'going', guests: 1, waitlist_place: null, roles: [rows[0]!.label], help_asked: ['ride'], help_offered: [] }
		]);
		expect((await listMyPlans(db.dirk, new Date())).map((p) => [p.gathering_id, p.status, p.waitlist_place])).toEqual([
			[gathering, 'waitlist', 2],
			[later, 'maybe', null]
		]);
		// Bo says no: Cem moves up, Dirk is now first in line; one's plans follow at once.
		await respond(db.bo, gathering, 'not_going', 0);
		expect(await listMyPlans(db.bo, new Date())).toEqual([]);
		expect((await listMyPlans(db.dirk, new Date()))[0]).toMatchObject({ status: 'waitlist', waitlist_place: 1 });
		expect((await listMyPlans(db.cem, new Date()))[0]).toMatchObject({ status: 'going', waitlist_place: null });
		// Past dates drop out.
		expect(await listMyPlans(db.dirk, new Date(Date.now() + 20 * 86_400_000))).toEqual([]);
		// What /me shows: each date with its activity, soonest first.
		expect((await myPlans(db.dirk)).map((x) => [x.gathering.id, x.gathering.activity.title])).toEqual([
			[gathering, 'Plannendiner'],
			[later, 'Plannendiner']
		]);
	});

	it('is for members only: a visitor cannot ask for anyone’s plans', async () => {
		const { error } = await anonDataClient().rpc('my_plans', { p_from: new Date().toISOString() });
		expect(error?.code).toBe('42501');
	});

	it('counts places left for visitors and marks the member’s own dates on the agenda', async () => {
		// The first date is full (Ada +1 and Cem), the second is empty.
		const left = await listPlacesLeft(anonDataClient(), [gathering, later]);
		expect(left.get(gathering)).toBe(0);
		expect(left.get(later)).toBe(3);

		const { rows } = await adminDb().query<{ member_id: string }>(
			`select member_id from attendance where gathering_id = $1 and status = 'waitlist'`,
			[gathering]
		);
		const waiting = rows[0]!.member_id;
		const agenda = await neighbourhoodAgenda(await memberDataClient(waiting), { slug: home.slug, memberId: waiting });
		expect(agenda!.marks[gathering]).toEqual({ placesLeft: 0, mine: 'waitlist' });
		expect(agenda!.marks[later]).toEqual({ placesLeft: 3, mine: 'maybe' });
		const visitor = await neighbourhoodAgenda(anonDataClient(), { slug: home.slug });
		expect(visitor!.marks[gathering]).toEqual({ placesLeft: 0, mine: null });
	});
});
