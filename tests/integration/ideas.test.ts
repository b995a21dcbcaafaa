import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonDataClient, memberDataClient } from '../../src/lib/server/db/client.ts';
import { findIdea, ideaCounts, setIdeaActivity, toggleInterest } from '../../src/lib/ideas/queries.server.ts';
import { ideasOverview, linkIdeaToActivity, proposeIdea } from '../../src/lib/ideas/ideas.server.ts';
import { closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

let home: { id: string };
let ida: string;
let jan: string;
let outsider: string;

beforeAll(async () => {
	home = await createNeighbourhood('Ideeënbuurt');
	ida = await createMember('Ida', home.id);
	jan = await createMember('Jan', home.id);
	outsider = await createMember('Oskar');
});
afterAll(closeAdminDb);

describe('ideas', () => {
	it('members of the neighbourhood propose them; others cannot', async () => {
		expect(await proposeIdea(await memberDataClient(ida), ida, home.id, { title: 'Zondagwandeling', description: '', kind: 'walk' })).toMatch(
			/^[0-9a-f-]{36}$/
		);
		expect(await proposeIdea(await memberDataClient(outsider), outsider, home.id, { title: 'Spam', description: '', kind: 'other' })).toBeNull();
	});

	it('count interest for everyone to see, while who is interested stays private', async () => {
		const idea = (await proposeIdea(await memberDataClient(ida), ida, home.id, { title: 'Breicafé', description: '', kind: 'other' }))!;
		expect(await toggleInterest(await memberDataClient(jan), jan, idea, 'join')).toBe(true);
		expect(await toggleInterest(await memberDataClient(ida), ida, idea, 'host')).toBe(true);
		expect(await toggleInterest(await memberDataClient(outsider), outsider, idea, 'join')).toBe(false);

		const counts = (await ideaCounts(anonDataClient(), home.id)).find((c) => c.idea_id === idea);
		expect(counts).toEqual({ idea_id: idea, would_join: 1, would_host: 1 });
		expect((await anonDataClient().from('idea_interest').select('member_id')).error?.code).toBe('42501');
		const seenByIda = await (await memberDataClient(ida)).from('idea_interest').select('member_id').eq('idea_id', idea);
		expect(seenByIda.data).toEqual([{ member_id: ida }]);

		// Tapping again takes it back.
		expect(await toggleInterest(await memberDataClient(jan), jan, idea, 'join')).toBe(false);
		const overview = await ideasOverview(await memberDataClient(jan), home.id, jan);
		expect(overview.find((i) => i.id === idea)).toMatchObject({ wouldJoin: 0, wouldHost: 1, iJoin: false });
	});

	it('whoever takes one on links it to the activity they started; nobody else can', async () => {
		const idea = (await proposeIdea(await memberDataClient(ida), ida, home.id, { title: 'Repaircafé', description: '', kind: 'repair_cafe' }))!;
		const jansActivity = await createActivityWithGatherings(home.id, jan, ['2030-06-01T10:00:00Z'], 'Repaircafé bij Jan');
		const idasActivity = await createActivityWithGatherings(home.id, ida, ['2030-06-02T10:00:00Z'], 'Iets van Ida');
		// Not to an activity someone else runs, and not by someone outside the neighbourhood.
		expect(await setIdeaActivity(await memberDataClient(jan), idea, idasActivity)).toBe(false);
		expect(await setIdeaActivity(await memberDataClient(outsider), idea, jansActivity)).toBe(false);
		expect((await findIdea(anonDataClient(), idea))?.activity_id).toBeNull();

		await linkIdeaToActivity(await memberDataClient(jan), idea, jansActivity);
		expect((await findIdea(anonDataClient(), idea))?.activity_id).toBe(jansActivity);
		// Taken on once: a second link changes nothing.
		expect(await setIdeaActivity(await memberDataClient(ida), idea, idasActivity)).toBe(false);
		expect((await findIdea(anonDataClient(), idea))?.activity_id).toBe(jansActivity);
	});
});
