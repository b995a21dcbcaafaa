import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberDataClient, serviceDataClient } from '../../src/lib/server/db/client.ts';
import { pledgeToSlot, respond } from '../../src/lib/boards/queries.server.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Leaving leaves nothing behind: "I can't come" gives up one's slots, and deleting an account
 * gives up every place, guest and slot on dates still to come, the waitlist moving up at once,
 * also while others tap at the same moment.
 */
let home: { id: string };
let host: string;

async function gathering(capacity: number, daysAhead = 7) {
	const activity = await createActivityWithGatherings(home.id, host, [new Date(Date.now() + daysAhead * 86_400_000).toISOString()], `Diner ${Math.random()}`);
	await adminDb().query('update activity set capacity = $2 where id = $1', [activity, capacity]);
	const { rows } = await adminDb().query<{ id: string }>('select id from gathering where activity_id = $1', [activity]);
	const id = rows[0]!.id;
	const slot = await adminDb().query<{ id: string }>(`insert into gathering_slot (gathering_id, label, quantity) values ($1, 'Toetje', 3) returning id`, [id]);
	return { id, slot: slot.rows[0]!.id };
}

async function attendance(gatheringId: string) {
	const { rows } = await adminDb().query<{ member_id: string | null; status: string; guests: number }>(
		'select member_id, status, guests from attendance where gathering_id = $1 order by waitlist_position nulls first, going_since',
		[gatheringId]
	);
	return rows;
}

const forget = async (memberId: string) => {
	const { data, error } = await serviceDataClient().rpc('forget_member', { p_member_id: memberId });
	expect(error).toBeNull();
	return data as string[];
};

beforeAll(async () => {
	home = await createNeighbourhood('Vertrekbuurt');
	host = await createMember('Hanna', home.id);
});
afterAll(closeAdminDb);

describe('leaving', () => {
	it('"I can\'t come" gives up the slots one took', async () => {
		const g = await gathering(10);
		const cas = await createMember('Cas', home.id);
		const db = await memberDataClient(cas);
		expect(await respond(db, g.id, 'going', 0)).toEqual({ ok: true, status: 'going' });
		expect(await pledgeToSlot(db, g.slot, 2)).toMatchObject({ ok: true });
		expect(await respond(db, g.id, 'not_going', 0)).toEqual({ ok: true, status: 'not_going' });
		const { rows } = await adminDb().query('select * from slot_pledge where slot_id = $1', [g.slot]);
		expect(rows).toEqual([]);
	});

	it('deleting an account frees its places, guests and slots on dates to come, and the waitlist moves up; past dates keep the count', async () => {
		const g = await gathering(3);
		const [dora, eva, finn] = [await createMember('Dora', home.id), await createMember('Eva', home.id), await createMember('Finn', home.id)];
		expect(await respond(await memberDataClient(dora), g.id, 'going', 2)).toEqual({ ok: true, status: 'going' });
		expect(await pledgeToSlot(await memberDataClient(dora), g.slot, 3)).toMatchObject({ ok: true });
		expect(await respond(await memberDataClient(eva), g.id, 'going', 1)).toEqual({ ok: true, status: 'waitlist' });
		expect(await respond(await memberDataClient(finn), g.id, 'going', 0)).toEqual({ ok: true, status: 'waitlist' });
		// A date already over, where Dora came: its count stays, without her name.
		const past = await gathering(3, 7);
		await adminDb().query(`insert into attendance (gathering_id, member_id, status, going_since) values ($1, $2, 'going', now())`, [past.id, dora]);
		await adminDb().query(`update gathering set starts_at = now() - interval '3 days', ends_at = now() - interval '3 days' + interval '2 hours' where id = $1`, [past.id]);

		// The board that changed is named, so its open pages can be told; the past one is not.
		expect(await forget(dora)).toEqual([g.id]);

		expect(await attendance(g.id)).toEqual([
			{ member_id: eva, status: 'going', guests: 1 },
			{ member_id: finn, status: 'going', guests: 0 }
		]);
		expect((await adminDb().query('select * from slot_pledge where slot_id = $1', [g.slot])).rows).toEqual([]);
		expect(await attendance(past.id)).toEqual([{ member_id: null, status: 'going', guests: 0 }]);
	});

	it('holds capacity and waitlist order when an account is deleted while others sign up', async () => {
		const g = await gathering(4);
		const people = await Promise.all(Array.from({ length: 12 }, (_, i) => createMember(`Gast${i}`, home.id)));
		// The first four go, in order; then the leaver's account goes while eight more tap at once.
		for (const id of people.slice(0, 4)) await respond(await memberDataClient(id), g.id, 'going', 0);
		const clients = await Promise.all(people.slice(4).map((id) => memberDataClient(id)));
		await Promise.all([forget(people[0]!), ...clients.map((db) => respond(db, g.id, 'going', 0))]);

		const rows = await attendance(g.id);
		expect(rows.filter((r) => r.status === 'going')).toHaveLength(4);
		expect(rows.filter((r) => r.status === 'waitlist')).toHaveLength(7);
		expect(rows.some((r) => r.member_id === people[0])).toBe(false);
		for (const id of people.slice(1, 4)) expect(rows.find((r) => r.member_id === id)?.status).toBe('going');
	});

	it('a role is for someone who is coming: the waitlist cannot take one, and moving down gives it back, also in a race with a capacity cut', async () => {
		const g = await gathering(3);
		const role = (await adminDb().query<{ id: string }>(`insert into gathering_slot (gathering_id, label, kind, quantity) values ($1, 'Afwassen', 'role', 5) returning id`, [g.id])).rows[0]!.id;
		const people = await Promise.all(['Rol Ada', 'Rol Bo', 'Rol Cem', 'Rol Dua'].map((name) => createMember(name, home.id)));
		const clients = await Promise.all(people.map((id) => memberDataClient(id)));
		for (const db of clients) await respond(db, g.id, 'going', 0);
		// Dua waits: a role is refused, a thing to bring is not.
		expect(await pledgeToSlot(clients[3]!, role, 1)).toEqual({ ok: false, refusal: 'role_needs_place' });
		expect(await pledgeToSlot(clients[3]!, g.slot, 1)).toMatchObject({ ok: true });
		// The host cuts to one place while the three who go each take the role at once.
		const hostDb = await memberDataClient(host);
		const activityId = (await adminDb().query<{ activity_id: string }>('select activity_id from gathering where id = $1', [g.id])).rows[0]!.activity_id;
		const [cut, ...taken] = await Promise.all([
			hostDb.from('activity').update({ capacity: 1 }).eq('id', activityId),
			...clients.slice(0, 3).map((db) => pledgeToSlot(db, role, 1))
		]);
		expect(cut.error).toBeNull();
		for (const answer of taken) expect(['role_needs_place', undefined]).toContain(answer.ok ? undefined : answer.refusal);
		// Whatever the order, only someone still going holds the role afterwards.
		const { rows } = await adminDb().query<{ member_id: string; status: string }>(
			`select p.member_id, a.status from slot_pledge p join attendance a on a.member_id = p.member_id and a.gathering_id = $2 where p.slot_id = $1`,
			[role, g.id]
		);
		expect(rows.every((r) => r.status === 'going')).toBe(true);
		expect((await attendance(g.id)).filter((r) => r.status === 'going')).toHaveLength(1);
		expect(rows.length).toBeLessThanOrEqual(1);
	});
});

describe('one lock order', () => {
	it('deleting an account while a host changes the places of the same dates: both finish, neither fails', async () => {
		// Eight dates whose ids run the other way from their start times: locking by id and by
		// start would meet head-on.
		const activity = await createActivityWithGatherings(home.id, host, [], `Slot ${Math.random()}`);
		const prefix = crypto.randomUUID().slice(0, 35);
		const dates: string[] = [];
		for (let i = 0; i < 8; i++) {
			const id = `${prefix}${(15 - i).toString(16)}`;
			await adminDb().query(
				`insert into gathering (id, activity_id, occurrence_starts_at, starts_at, ends_at)
				 select $1, $2, t, t, t + interval '2 hours' from (select now() + make_interval(days => $3) as t) s`,
				[id, activity, 3 + i]
			);
			dates.push(id);
		}
		for (let round = 0; round < 12; round++) {
			const leaver = await createMember(`Weg${round}`, home.id);
			const db = await memberDataClient(leaver);
			for (const id of dates) expect(await respond(db, id, 'going', 0)).toMatchObject({ ok: true });
			const hostDb = await memberDataClient(host);
			const [forgotten, changed] = await Promise.all([
				serviceDataClient().rpc('forget_member', { p_member_id: leaver }),
				hostDb.from('activity').update({ capacity: 10 + (round % 3) }).eq('id', activity).select('id')
			]);
			expect(forgotten.error, `round ${round}`).toBeNull();
			expect(changed.error, `round ${round}`).toBeNull();
			const left = await adminDb().query('select 1 from attendance where member_id = $1', [leaver]);
			expect(left.rowCount).toBe(0);
		}
	});
});
