import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonDataClient, memberDataClient } from '../../src/lib/server/db/client.ts';
import { neighbourhoodAgenda } from '../../src/lib/agenda/agenda.server.ts';
import { checkHealth } from '../../src/lib/server/health.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

let slug: string;
let homeId: string;
let hostId: string;
let activityId: string;

beforeAll(async () => {
	const home = await createNeighbourhood('Agendabuurt');
	slug = home.slug;
	homeId = home.id;
	const host = await createMember('Fatima', home.id);
	hostId = host;
	activityId = await createActivityWithGatherings(home.id, host, [
		'2030-03-24T17:00:00Z', // Tuesday 18:00 in Amsterdam (winter time)
		'2030-03-31T16:00:00Z', // Tuesday 18:00 in Amsterdam (summer time)
		'2030-03-31T22:30:00Z', // already 1 April in Amsterdam
		'2030-03-10T17:00:00Z' // over by "now" below
	]);
	const other = await createNeighbourhood('Elders');
	await createActivityWithGatherings(other.id, await createMember('Henk', other.id), ['2030-03-24T17:00:00Z'], 'Elders diner');
});
afterAll(closeAdminDb);

describe('neighbourhood agenda (through PostgREST as a visitor)', () => {
	it('lists the upcoming gatherings of that neighbourhood only, by local day', async () => {
		const agenda = await neighbourhoodAgenda(anonDataClient(), { slug }, new Date('2030-03-20T00:00:00Z'));
		expect(agenda?.neighbourhood.name).toBe('Agendabuurt');
		expect(agenda?.days.filter((d) => d.gatherings.length).map((d) => [d.date, d.gatherings.length])).toEqual([
			['2030-03-24', 1],
			['2030-03-31', 1],
			['2030-04-01', 1]
		]);
		expect(agenda?.days.flatMap((d) => d.gatherings.map((g) => g.activity.title))).not.toContain('Elders diner');
	});

	it('shows every empty day only to those who plan here: its hosts and coordinators', async () => {
		await adminDb().query('insert into activity_host (activity_id, member_id) values ($1, $2) on conflict do nothing', [activityId, hostId]);
		const neighbour = await createMember('Buurvrouw', homeId);
		const coordinator = await createMember('Coco', homeId, 'coordinator');
		const plans = async (memberId: string | null) =>
			(await neighbourhoodAgenda(memberId ? await memberDataClient(memberId) : anonDataClient(), { slug, memberId }, new Date('2030-03-20T00:00:00Z')))!.plans;
		expect(await plans(null)).toBe(false);
		expect(await plans(neighbour)).toBe(false);
		expect(await plans(hostId)).toBe(true);
		expect(await plans(coordinator)).toBe(true);
	});

	it('answers null for a neighbourhood that does not exist', async () => {
		expect(await neighbourhoodAgenda(anonDataClient(), { slug: 'bestaat-niet' })).toBeNull();
	});
});

describe('health', () => {
	it('reports the database and PostgREST as up', async () => {
		const health = await checkHealth();
		expect(health.status).toBe('ok');
		expect(health.database.status).toBe('ok');
		expect(health.postgrest.status).toBe('ok');
	});
});
