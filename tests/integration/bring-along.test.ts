import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonDataClient, memberDataClient, serviceDataClient } from '../../src/lib/server/db/client.ts';
import { boardAudienceViews, boardSummary, bringAlong, listBoardPeople, markBroughtArrival, respond, takeOffBrought } from '../../src/lib/boards/queries.server.ts';
import { exportMember, forgetMember } from '../../src/lib/account/member-queries.server.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Bringing someone without a phone along: a first name on the board, counted as one of the
 * guests of the member who brings them, through supabase-js and PostgREST as each person.
 */
let home: { id: string };
let host: string;

async function gathering(capacity: number | null, maxGuests = 2) {
	const activity = await createActivityWithGatherings(home.id, host, [new Date(Date.now() + 7 * 86_400_000).toISOString()], `Meebrengen ${Math.random()}`);
	await adminDb().query('update activity set capacity = $2, max_guests = $3 where id = $1', [activity, capacity, maxGuests]);
	const { rows } = await adminDb().query<{ id: string }>('select id from gathering where activity_id = $1', [activity]);
	return rows[0]!.id;
}

async function seats(gatheringId: string) {
	const { rows } = await adminDb().query<{ member_id: string; status: string; guests: number }>(
		'select member_id, status, guests from attendance where gathering_id = $1 order by created_at',
		[gatheringId]
	);
	return rows;
}

async function broughtNames(gatheringId: string) {
	const { rows } = await adminDb().query<{ first_name: string }>('select first_name from brought_person where gathering_id = $1 order by created_at', [gatheringId]);
	return rows.map((r) => r.first_name);
}

beforeAll(async () => {
	home = await createNeighbourhood('Meebrengbuurt');
	host = await createMember('Hostien', home.id);
});
afterAll(closeAdminDb);

describe('bringing someone without a phone along', () => {
	it('takes a seat as one of the guests, shown with who brought them to the people on the board only', async () => {
		const id = await gathering(10);
		const fatima = await createMember('Fatima', home.id);
		const other = await createMember('Otto', home.id);
		const notOnBoard = await createMember('Nina', home.id);
		const fatimaDb = await memberDataClient(fatima);
		expect(await respond(fatimaDb, id, 'going', 0)).toEqual({ ok: true, status: 'going' });
		expect(await bringAlong(fatimaDb, id, '  Els  ')).toEqual({ ok: true });
		expect(await seats(id)).toMatchObject([{ member_id: fatima, status: 'going', guests: 1 }]);
		expect(await broughtNames(id)).toEqual(['Els']);
		expect(await boardSummary(anonDataClient(), id)).toMatchObject({ going: 2, people_going: 1 });

		await respond(await memberDataClient(other), id, 'going', 0);
		const seen = await listBoardPeople(await memberDataClient(other), id);
		expect(seen.find((p) => p.member_id === fatima)?.brought_person.map((b) => b.first_name)).toEqual(['Els']);
		// Someone of the neighbourhood who is not on the board sees no names at all, nor do visitors.
		const nina = unwrapRows(await (await memberDataClient(notOnBoard)).from('brought_person').select('first_name').eq('gathering_id', id));
		expect(nina).toEqual([]);
		const visitor = await anonDataClient().from('brought_person').select('first_name').eq('gathering_id', id);
		expect(visitor.data ?? []).toEqual([]);

		// Every open board's view carries the name with the one who brought them, never the public part.
		const views = await boardAudienceViews(serviceDataClient(), id);
		expect(views!.board.people.find((p) => p.member_id === fatima)?.brought.map((b) => b.name)).toEqual(['Els']);
		expect(JSON.stringify(views!.public)).not.toContain('Els');
	});

	it('names a guest already counted without taking another seat', async () => {
		const id = await gathering(3);
		const sara = await createMember('Sara', home.id);
		const db = await memberDataClient(sara);
		await respond(db, id, 'going', 1);
		expect(await bringAlong(db, id, 'Oma Wil')).toEqual({ ok: true });
		expect(await seats(id)).toMatchObject([{ status: 'going', guests: 1 }]);
		expect(await boardSummary(anonDataClient(), id)).toMatchObject({ going: 2 });
	});

	it('is refused plainly: not coming, too many guests, a full board, or someone waiting for the place', async () => {
		const id = await gathering(3, 1);
		const [a, b, c] = [await createMember('Anouk', home.id), await createMember('Bas', home.id), await createMember('Cor', home.id)];
		const [aDb, bDb, cDb] = [await memberDataClient(a), await memberDataClient(b), await memberDataClient(c)];
		expect(await bringAlong(aDb, id, 'Els')).toEqual({ ok: false, refusal: 'not_coming' });
		await respond(aDb, id, 'maybe', 0);
		expect(await bringAlong(aDb, id, 'Els')).toEqual({ ok: false, refusal: 'not_coming' });
		await respond(aDb, id, 'going', 0);
		expect(await bringAlong(aDb, id, 'Els')).toEqual({ ok: true });
		// max_guests is 1: a second person is one guest too many.
		expect(await bringAlong(aDb, id, 'Henk')).toEqual({ ok: false, refusal: 'guests' });
		await respond(bDb, id, 'going', 0);
		// 3 of 3 taken: nobody more fits.
		expect(await bringAlong(bDb, id, 'Mia')).toEqual({ ok: false, refusal: 'full' });
		// Someone on the waitlist waits with the one they bring.
		expect(await respond(cDb, id, 'going', 0)).toEqual({ ok: true, status: 'waitlist' });
		expect(await bringAlong(cDb, id, 'Jan')).toEqual({ ok: true });
		expect(await seats(id)).toMatchObject([{ status: 'going', guests: 1 }, { status: 'going', guests: 0 }, { status: 'waitlist', guests: 1 }]);
		// A name the form would refuse is refused by the database too.
		expect(await bringAlong(bDb, id, '   ')).toEqual({ ok: false, refusal: 'invalid' });
	});

	it('a free place that someone is waiting for goes to them, not to someone brought along', async () => {
		const id = await gathering(3);
		const [a, b] = [await createMember('Aart', home.id), await createMember('Bo', home.id)];
		await respond(await memberDataClient(a), id, 'going', 1);
		// Bo with one guest does not fit in the one place left: Bo waits.
		expect(await respond(await memberDataClient(b), id, 'going', 1)).toEqual({ ok: true, status: 'waitlist' });
		expect(await bringAlong(await memberDataClient(a), id, 'Els')).toEqual({ ok: true });
		expect(await seats(id)).toMatchObject([{ status: 'going', guests: 1 }, { status: 'waitlist' }]);
		// A name for the guest already counted (no new seat); a further one would take the place Bo waits for.
		expect(await respond(await memberDataClient(a), id, 'going', 2)).toMatchObject({ ok: true });
		expect(await seats(id)).toMatchObject([{ status: 'going', guests: 2 }, { status: 'waitlist' }]);
	});

	it('cannot be counted away, and comes off the list with the one who brought them', async () => {
		const id = await gathering(null);
		const lot = await createMember('Lot', home.id);
		const db = await memberDataClient(lot);
		await respond(db, id, 'going', 0);
		await bringAlong(db, id, 'Els');
		await bringAlong(db, id, 'Henk');
		expect(await respond(db, id, 'going', 1)).toEqual({ ok: false, refusal: 'brought' });
		expect(await respond(db, id, 'maybe', 2)).toMatchObject({ ok: true, status: 'maybe' });
		expect(await broughtNames(id)).toEqual(['Els', 'Henk']);
		expect(await respond(db, id, 'not_going', 0)).toMatchObject({ ok: true, status: 'not_going' });
		expect(await broughtNames(id)).toEqual([]);
	});

	it('is taken off by the one who brought them or a host (who tells them), not by others; the waitlist moves up', async () => {
		const id = await gathering(2);
		const [a, b, c] = [await createMember('Ahmed', home.id), await createMember('Bram', home.id), await createMember('Carla', home.id)];
		const [aDb, bDb, cDb] = [await memberDataClient(a), await memberDataClient(b), await memberDataClient(c)];
		await respond(aDb, id, 'going', 0);
		await bringAlong(aDb, id, 'Els');
		expect(await respond(bDb, id, 'going', 0)).toEqual({ ok: true, status: 'waitlist' });
		const { rows } = await adminDb().query<{ id: string }>('select id from brought_person where gathering_id = $1', [id]);
		const els = rows[0]!.id;
		// Someone else on the board may not (42501: not theirs).
		expect(await takeOffBrought(bDb, els)).toEqual({ ok: false, refusal: 'not_member' });
		expect(await takeOffBrought(cDb, els)).toEqual({ ok: false, refusal: 'not_member' });
		expect(await takeOffBrought(await memberDataClient(host), els)).toEqual({ ok: true });
		expect(await seats(id)).toMatchObject([{ member_id: a, status: 'going', guests: 0 }, { member_id: b, status: 'going' }]);
		const told = await adminDb().query<{ kind: string }>('select kind from notice where member_id = $1 and gathering_id = $2', [a, id]);
		expect(told.rows.map((r) => r.kind)).toEqual(['brought_removed']);
		expect(await takeOffBrought(aDb, els)).toEqual({ ok: false, refusal: 'not_found' });

		// The one who brought someone takes them off themselves: nobody is told.
		await bringAlong(bDb, id, 'Mia').then((r) => expect(r).toEqual({ ok: false, refusal: 'full' }));
		await respond(aDb, id, 'not_going', 0);
		expect(await bringAlong(bDb, id, 'Mia')).toEqual({ ok: true });
		const mia = (await adminDb().query<{ id: string }>('select id from brought_person where gathering_id = $1', [id])).rows[0]!.id;
		expect(await takeOffBrought(bDb, mia)).toEqual({ ok: true });
		// (Bram was told he moved up; nothing about Mia.)
		const notices = await adminDb().query(`select 1 from notice where member_id = $1 and kind = 'brought_removed'`, [b]);
		expect(notices.rowCount).toBe(0);
	});

	it('the door list ticks them off (hosts only), and they go with the account of the one who brought them', async () => {
		const id = await gathering(null);
		const kim = await createMember('Kim', home.id);
		const db = await memberDataClient(kim);
		await respond(db, id, 'going', 0);
		await bringAlong(db, id, 'Oma Truus');
		const truus = (await adminDb().query<{ id: string }>('select id from brought_person where gathering_id = $1', [id])).rows[0]!.id;
		expect(await markBroughtArrival(db, truus, true)).toBe(false);
		expect(await markBroughtArrival(await memberDataClient(host), truus, true)).toBe(true);
		expect((await adminDb().query('select came from brought_person where id = $1', [truus])).rows[0].came).toBe(true);

		const exported = await exportMember(serviceDataClient(), kim);
		expect(exported.brought_along).toMatchObject([{ first_name: 'Oma Truus', came: true }]);
		expect(await forgetMember(serviceDataClient(), kim)).toContain(id);
		expect(await broughtNames(id)).toEqual([]);
		expect(await boardSummary(anonDataClient(), id)).toMatchObject({ going: 0 });
	});

	it('under concurrency: twelve people each bring someone to a board with five places left; exactly five fit', async () => {
		const id = await gathering(17);
		const people: string[] = [];
		for (let i = 0; i < 12; i++) people.push(await createMember(`Breng${i}`, home.id));
		const clients = await Promise.all(people.map((p) => memberDataClient(p)));
		for (const db of clients) expect(await respond(db, id, 'going', 0)).toMatchObject({ status: 'going' });
		const results = await Promise.all(clients.map((db, i) => bringAlong(db, id, `Gast${i}`)));
		expect(results.filter((r) => r.ok)).toHaveLength(5);
		expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.refusal === 'full')).toBe(true);
		expect(await boardSummary(anonDataClient(), id)).toMatchObject({ going: 17, waitlist: 0 });
		expect(await broughtNames(id)).toHaveLength(5);
	});
});

function unwrapRows<T>(result: { data: T[] | null; error: unknown }) {
	expect(result.error).toBeNull();
	return result.data ?? [];
}
