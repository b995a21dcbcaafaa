import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityFormSchema } from '../../src/lib/activities/schemas.ts';
import { anonDataClient, memberDataClient } from '../../src/lib/server/db/client.ts';
import { canRunActivity, changeHosts, cohostCandidates, listHosts } from '../../src/lib/activities/activity-queries.server.ts';
import { findGathering } from '../../src/lib/activities/gathering-queries.server.ts';
import {
	addExtraDate,
	cancelGathering,
	createActivity,
	moveGathering,
	saveActivity,
	setActivityStatus
} from '../../src/lib/activities/activities.server.ts';
import { findActivity } from '../../src/lib/activities/activity-queries.server.ts';
import { adminDb, closeAdminDb, createMember, createNeighbourhood } from './fixtures.ts';

/** Who may run an activity, through supabase-js as each person; and the series kept right. */
let home: { id: string };
let host: string;
let cohost: string;
let neighbour: string;
let coordinator: string;
let outsider: string;
let activityId: string;

const form = (change: Record<string, unknown> = {}) =>
	activityFormSchema.parse({
		title: 'Dinsdagdiner',
		kind: 'shared_dinner',
		place_name: 'Buurthuis',
		languages: ['nl', 'en'],
		cost_kind: 'pay_what_you_can',
		pattern: 'weekly',
		weekday: 'TU',
		start_date: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
		start_time: '18:00',
		end_time: '20:30',
		...change
	});

const gatheringsOf = async (id: string) =>
	(
		await adminDb().query<{ id: string; starts_at: Date; status: string; is_extra: boolean }>(
			'select id, starts_at, status, is_extra from gathering where activity_id = $1 order by starts_at',
			[id]
		)
	).rows;

beforeAll(async () => {
	home = await createNeighbourhood('Activiteitenbuurt');
	host = await createMember('Hanna', home.id);
	cohost = await createMember('Cor', home.id);
	neighbour = await createMember('Nina', home.id);
	coordinator = await createMember('Coby', home.id, 'coordinator');
	outsider = await createMember('Olaf');
	activityId = await createActivity(await memberDataClient(host), host, home.id, form());
});
afterAll(closeAdminDb);

describe('creating an activity', () => {
	it('makes its creator the host and materialises twelve weeks of gatherings', async () => {
		expect((await listHosts(anonDataClient(), activityId)).map((h) => h.display_name)).toEqual(['Hanna']);
		const gatherings = await gatheringsOf(activityId);
		expect(gatherings.length).toBeGreaterThanOrEqual(12);
		expect(gatherings.length).toBeLessThanOrEqual(13);
	});

	it('is refused outside one’s own neighbourhood', async () => {
		await expect(createActivity(await memberDataClient(outsider), outsider, home.id, form())).rejects.toMatchObject({ code: '42501' });
	});
});

describe('who may run it', () => {
	it('hosts and coordinators may; a neighbour, an outsider and a visitor may not', async () => {
		expect(await canRunActivity(await memberDataClient(host), activityId)).toBe(true);
		expect(await canRunActivity(await memberDataClient(coordinator), activityId)).toBe(true);
		expect(await canRunActivity(await memberDataClient(neighbour), activityId)).toBe(false);
		expect(await canRunActivity(await memberDataClient(outsider), activityId)).toBe(false);
		expect(await canRunActivity(anonDataClient(), activityId)).toBe(false);
	});

	it('only those who run it edit it or its gatherings', async () => {
		const [first] = await gatheringsOf(activityId);
		expect(await saveActivity(await memberDataClient(neighbour), activityId, form({ title: 'Overgenomen' }))).toBeNull();
		expect(await cancelGathering(await memberDataClient(neighbour), first!.id, 'nee')).toBe(false);
		expect((await findActivity(anonDataClient(), activityId))!.title).toBe('Dinsdagdiner');
		// A coordinator steps in.
		expect(await cancelGathering(await memberDataClient(coordinator), first!.id, 'Buurthuis dicht')).toBe(true);
		expect((await findGathering(anonDataClient(), first!.id))).toMatchObject({ status: 'cancelled', cancellation_reason: 'Buurthuis dicht', sequence: 1 });
	});
});

describe('co-hosts and handover', () => {
	it('a host adds a co-host from the neighbourhood, not someone from outside', async () => {
		const db = await memberDataClient(host);
		expect((await cohostCandidates(db, activityId)).map((c) => c.display_name)).toContain('Cor');
		expect(await cohostCandidates(await memberDataClient(neighbour), activityId)).toEqual([]);
		expect(await changeHosts(db, { kind: 'add', activityId, memberId: outsider })).toBe('not_allowed');
		expect(await changeHosts(await memberDataClient(neighbour), { kind: 'add', activityId, memberId: neighbour })).toBe('not_allowed');
		expect(await changeHosts(db, { kind: 'add', activityId, memberId: cohost })).toBe('ok');
		expect((await listHosts(db, activityId)).map((h) => h.display_name)).toEqual(['Hanna', 'Cor']);
	});

	it('the last host cannot leave a running activity, but can hand it over', async () => {
		const solo = await createActivity(await memberDataClient(neighbour), neighbour, home.id, form({ title: 'Wandeling' }));
		const db = await memberDataClient(neighbour);
		expect(await changeHosts(db, { kind: 'remove', activityId: solo, memberId: neighbour })).toBe('last_host');
		expect(await changeHosts(db, { kind: 'hand_over', activityId: solo, memberId: cohost })).toBe('ok');
		expect((await listHosts(db, solo)).map((h) => h.display_name)).toEqual(['Cor']);
		expect(await canRunActivity(db, solo)).toBe(false);
	});

	it('a paused activity may be left without a host', async () => {
		const paused = await createActivity(await memberDataClient(neighbour), neighbour, home.id, form({ title: 'Pauze' }));
		const db = await memberDataClient(neighbour);
		expect(await setActivityStatus(db, paused, 'paused')).toBe(true);
		expect(await changeHosts(db, { kind: 'remove', activityId: paused, memberId: neighbour })).toBe('ok');
	});
});

describe('the series and single gatherings', () => {
	it('editing the series keeps dates changed on their own and extra dates, and reports them', async () => {
		const db = await memberDataClient(host);
		const id = await createActivity(db, host, home.id, form({ title: 'Koken' }));
		const [, second, third] = await gatheringsOf(id);
		const activity = (await findActivity(db, id))!;
		expect(await moveGathering(db, second!.id, { date: '2031-01-01', start_time: '12:00', end_time: '13:00', place_name: 'Park', place_address: '' }, activity.schedule_time_zone)).toBe(true);
		expect(await addExtraDate(db, activity, { date: '2031-02-01', start_time: '10:00', end_time: '11:00', place_name: '', place_address: '' })).toMatch(/^[0-9a-f-]{36}$/);

		// Tuesday becomes Thursday: the untouched Tuesdays go, the moved one and the extra stay.
		const saved = await saveActivity(db, id, form({ title: 'Koken', weekday: 'TH' }));
		expect(saved!.kept.map((k) => k.id)).toEqual([second!.id]);
		const after = await gatheringsOf(id);
		expect(after.map((g) => g.id)).toContain(second!.id);
		expect(after.map((g) => g.id)).not.toContain(third!.id);
		expect(after.filter((g) => g.is_extra)).toHaveLength(1);
		const weekdays = new Set(after.filter((g) => !g.is_extra && g.id !== second!.id).map((g) => g.starts_at.getUTCDay()));
		expect([...weekdays]).toEqual([4]);
	});

	it('ending an activity removes its untouched future dates; starting again brings them back', async () => {
		const db = await memberDataClient(host);
		const id = await createActivity(db, host, home.id, form({ title: 'Tijdelijk' }));
		expect(await setActivityStatus(db, id, 'ended')).toBe(true);
		expect(await gatheringsOf(id)).toEqual([]);
		expect(await setActivityStatus(db, id, 'active')).toBe(true);
		expect((await gatheringsOf(id)).length).toBeGreaterThanOrEqual(12);
	});

	it('a visitor cannot materialise gatherings', async () => {
		const { error } = await anonDataClient().rpc('save_gatherings', { p_activity: activityId, p_occurrences: [], p_from: new Date().toISOString() });
		expect(error?.code).toBe('42501');
	});
});

describe('a series change and the people on its boards', () => {
	it('never removes a gathering people signed up for; it is kept and reported', async () => {
		const { respond } = await import('../../src/lib/boards/queries.server.ts');
		const db = await memberDataClient(host);
		const id = await createActivity(db, host, home.id, form({ title: 'Met aanmeldingen' }));
		const [first, second] = await gatheringsOf(id);
		expect((await respond(await memberDataClient(neighbour), first!.id, 'going', 0)).ok).toBe(true);

		const saved = await saveActivity(db, id, form({ title: 'Met aanmeldingen', weekday: 'SA' }));
		expect(saved!.kept.map((k) => k.id)).toEqual([first!.id]);
		const ids = (await gatheringsOf(id)).map((g) => g.id);
		expect(ids).toContain(first!.id);
		expect(ids).not.toContain(second!.id);
	});
});
