import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonDataClient, memberDataClient } from '../../src/lib/server/db/client.ts';
import { ideaCounts, toggleInterest } from '../../src/lib/server/db/ideas.ts';
import { ideasOverview, proposeIdea } from '../../src/lib/server/services/ideas.ts';
import { closeAdminDb, createMember, createNeighbourhood } from './fixtures.ts';

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
});
