import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonDataClient, memberDataClient, serviceDataClient } from '../../src/lib/server/db/client.ts';
import { respond } from '../../src/lib/boards/queries.server.ts';
import { askOrOfferHelp, boardHelp } from '../../src/lib/help/queries.server.ts';
import { exportMember } from '../../src/lib/account/member-queries.server.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Practical help (door, ride, childcare): matched in SQL under the gathering's lock, seen by
 * name only by the matched pair and those who run the activity.
 */
let home: { id: string };
let host: string;
let gathering: string;

async function member(name: string, status: 'going' | 'maybe' | null = 'going') {
	const id = await createMember(name, home.id);
	const db = await memberDataClient(id);
	if (status) expect((await respond(db, gathering, status, 0)).ok).toBe(true);
	return { id, db };
}

async function matches() {
	const { rows } = await adminDb().query<{ asker: string; helper: string; kind: string; people: number }>(
		`select r.member_id as asker, o.member_id as helper, r.kind, r.people
		 from help_match m join help_request r on r.id = m.request_id join help_offer o on o.id = m.offer_id
		 where r.gathering_id = $1 order by m.matched_at`,
		[gathering]
	);
	return rows;
}

beforeAll(async () => {
	home = await createNeighbourhood('Hulpbuurt');
	host = await createMember('Gastvrouw Hulp', home.id);
	const activity = await createActivityWithGatherings(home.id, host, [new Date(Date.now() + 5 * 86_400_000).toISOString()], 'Hulpdiner');
	const { rows } = await adminDb().query<{ id: string }>('select id from gathering where activity_id = $1', [activity]);
	gathering = rows[0]!.id;
});
afterAll(closeAdminDb);

describe('practical help', () => {
	it('matches a request to an offer of the same kind, in the order asked, never beyond the places offered', async () => {
		const driver = await member('Chauffeur Cor');
		const [first, second, third] = [await member('Vraagt Eerst'), await member('Vraagt Tweede'), await member('Vraagt Derde')];
		expect(await askOrOfferHelp(first.db, gathering, { side: 'ask', kind: 'ride', amount: 2, note: 'Ik woon bij het station' })).toEqual({ ok: true, matched: false });
		expect(await askOrOfferHelp(second.db, gathering, { side: 'ask', kind: 'ride', amount: 1, note: '' })).toEqual({ ok: true, matched: false });
		expect(await askOrOfferHelp(third.db, gathering, { side: 'ask', kind: 'door', amount: 1, note: '' })).toEqual({ ok: true, matched: false });

		// Two seats: the first asker (2 people) fits, the second must wait; the door request is another kind.
		await askOrOfferHelp(driver.db, gathering, { side: 'offer', kind: 'ride', amount: 2, note: 'Ik vertrek om 18:00' });
		expect(await matches()).toEqual([{ asker: first.id, helper: driver.id, kind: 'ride', people: 2 }]);

		// The first no longer needs it: the seat goes to the next in line.
		await askOrOfferHelp(first.db, gathering, { side: 'ask', kind: 'ride', amount: 0, note: '' });
		expect(await matches()).toEqual([{ asker: second.id, helper: driver.id, kind: 'ride', people: 1 }]);

		// The driver stops coming: their offer goes and the ride is no longer arranged.
		expect((await respond(driver.db, gathering, 'not_going', 0)).ok).toBe(true);
		expect(await matches()).toEqual([]);
		const { rows } = await adminDb().query('select 1 from help_offer where member_id = $1', [driver.id]);
		expect(rows).toHaveLength(0);
		await askOrOfferHelp(second.db, gathering, { side: 'ask', kind: 'ride', amount: 0, note: '' });
		await askOrOfferHelp(third.db, gathering, { side: 'ask', kind: 'door', amount: 0, note: '' });
	});

	it('keeps existing matches when an offer shrinks, dropping the newest first', async () => {
		const welcomer = await member('Welkom Wil');
		const [a, b] = [await member('Deur A'), await member('Deur B')];
		await askOrOfferHelp(welcomer.db, gathering, { side: 'offer', kind: 'door', amount: 2, note: '' });
		expect((await askOrOfferHelp(a.db, gathering, { side: 'ask', kind: 'door', amount: 1, note: '' })).ok).toBe(true);
		expect(await askOrOfferHelp(b.db, gathering, { side: 'ask', kind: 'door', amount: 1, note: '' })).toEqual({ ok: true, matched: true });
		await askOrOfferHelp(welcomer.db, gathering, { side: 'offer', kind: 'door', amount: 1, note: '' });
		expect((await matches()).map((x) => x.asker)).toEqual([a.id]);
		// Nobody helps themselves.
		await askOrOfferHelp(b.db, gathering, { side: 'offer', kind: 'door', amount: 1, note: '' });
		const after = await matches();
		expect(after.every((x) => x.asker !== x.helper)).toBe(true);
		for (const p of [welcomer, a, b]) {
			await askOrOfferHelp(p.db, gathering, { side: 'ask', kind: 'door', amount: 0, note: '' });
			await askOrOfferHelp(p.db, gathering, { side: 'offer', kind: 'door', amount: 0, note: '' });
		}
	});

	it('many simultaneous requests on a few places: every place used once, the first askers helped', async () => {
		const sitter = await member('Oppas Olga');
		await askOrOfferHelp(sitter.db, gathering, { side: 'offer', kind: 'childcare', amount: 5, note: '' });
		const parents = await Promise.all(Array.from({ length: 30 }, (_, i) => member(`Ouder ${i}`)));
		const results = await Promise.all(parents.map((p) => askOrOfferHelp(p.db, gathering, { side: 'ask', kind: 'childcare', amount: 1, note: '' })));
		expect(results.every((r) => r.ok)).toBe(true);
		const matched = await matches();
		expect(matched).toHaveLength(5);
		expect(new Set(matched.map((x) => x.asker)).size).toBe(5);
		// The five helped are the five who asked first, as the database received them.
		const { rows: order } = await adminDb().query<{ member_id: string }>(
			`select member_id from help_request where gathering_id = $1 and kind = 'childcare' order by created_at, id limit 5`,
			[gathering]
		);
		expect(new Set(matched.map((x) => x.asker))).toEqual(new Set(order.map((r) => r.member_id)));
		// What each was told agrees with what is stored.
		const told = parents.filter((_, i) => results[i]!.ok && (results[i] as { matched: boolean }).matched).map((p) => p.id);
		expect(new Set(told)).toEqual(new Set(matched.map((x) => x.asker)));
		await Promise.all(parents.map((p) => askOrOfferHelp(p.db, gathering, { side: 'ask', kind: 'childcare', amount: 0, note: '' })));
		await askOrOfferHelp(sitter.db, gathering, { side: 'offer', kind: 'childcare', amount: 0, note: '' });
	});

	it('refuses plainly: not on the board, impossible amounts, too long a note, outsiders', async () => {
		const undecided = await member('Twijfel Tom', null);
		expect(await askOrOfferHelp(undecided.db, gathering, { side: 'ask', kind: 'ride', amount: 1, note: '' })).toEqual({ ok: false, refusal: 'not_on_board' });
		const asker = await member('Grens Gerda');
		expect(await askOrOfferHelp(asker.db, gathering, { side: 'ask', kind: 'ride', amount: 7, note: '' })).toEqual({ ok: false, refusal: 'quantity' });
		expect(await askOrOfferHelp(asker.db, gathering, { side: 'offer', kind: 'ride', amount: -1, note: '' })).toEqual({ ok: false, refusal: 'quantity' });
		expect(await askOrOfferHelp(asker.db, gathering, { side: 'ask', kind: 'ride', amount: 1, note: 'x'.repeat(201) })).toEqual({ ok: false, refusal: 'text_too_long' });
		const other = await createNeighbourhood('Anderebuurt');
		const outsider = await memberDataClient(await createMember('Buiten Bas', other.id));
		expect(await askOrOfferHelp(outsider, gathering, { side: 'ask', kind: 'ride', amount: 1, note: '' })).toEqual({ ok: false, refusal: 'not_member' });
		const { rows } = await adminDb().query('select 1 from help_request where gathering_id = $1', [gathering]);
		expect(rows).toHaveLength(0);
	});

	it('shows names and notes only to the matched pair and the hosts; others and visitors see counts', async () => {
		const asker = await member('Nieuw Nadia');
		const helper = await member('Helpt Hans');
		const bystander = await member('Kijkt Karel');
		await askOrOfferHelp(asker.db, gathering, { side: 'ask', kind: 'door', amount: 1, note: 'Ik kom met de bus' });
		await askOrOfferHelp(helper.db, gathering, { side: 'offer', kind: 'door', amount: 1, note: 'Ik sta bij de ingang' });

		const seenByAsker = await boardHelp(asker.db, gathering);
		expect(seenByAsker.asks).toEqual([expect.objectContaining({ mine: true, helper: 'Helpt Hans', helper_note: 'Ik sta bij de ingang' })]);
		expect(seenByAsker.offers).toEqual([]);

		const seenByHelper = await boardHelp(helper.db, gathering);
		expect(seenByHelper.asks).toEqual([expect.objectContaining({ name: 'Nieuw Nadia', helper_is_me: true, note: 'Ik kom met de bus' })]);

		const seenByHost = await boardHelp(await memberDataClient(host), gathering);
		expect(seenByHost.asks.map((a) => a.name)).toEqual(['Nieuw Nadia']);
		expect(seenByHost.offers.map((o) => o.name)).toEqual(['Helpt Hans']);

		for (const viewer of [bystander.db, anonDataClient()]) {
			const seen = await boardHelp(viewer, gathering);
			expect(seen.asks).toEqual([]);
			expect(seen.offers).toEqual([]);
			expect(seen.counts.find((c) => c.kind === 'door')).toEqual({ kind: 'door', asked: 1, arranged: 1, offered: 1 });
			expect(JSON.stringify(seen)).not.toMatch(/Nadia|Hans|bus|ingang/);
		}

		// Row-level security says the same for direct reads through the Data API.
		for (const table of ['help_request', 'help_offer', 'help_match']) {
			const { data, error } = await bystander.db.from(table).select('*');
			expect(error).toBeNull();
			expect(data).toEqual([]);
			expect((await anonDataClient().from(table).select('*')).data ?? []).toEqual([]);
		}
		expect((await asker.db.from('help_offer').select('member_id')).data).toEqual([{ member_id: helper.id }]);
		expect((await helper.db.from('help_request').select('member_id')).data).toEqual([{ member_id: asker.id }]);
		// Nobody writes directly.
		const write = await bystander.db.from('help_request').insert({ gathering_id: gathering, member_id: bystander.id, kind: 'ride' });
		expect(write.error).not.toBeNull();
	});

	it('is in the member\'s own data download, with their note, and gone with their account', async () => {
		const asker = await member('Export Eva');
		await askOrOfferHelp(asker.db, gathering, { side: 'ask', kind: 'childcare', amount: 2, note: 'Twee kleintjes' });
		const data = await exportMember(serviceDataClient(), asker.id);
		expect(data.attendance).toEqual([expect.objectContaining({ activity: 'Hulpdiner', status: expect.stringMatching(/^(going|waitlist)$/) })]);
		expect(data.help_asked).toEqual([expect.objectContaining({ kind: 'childcare', people: 2, note: 'Twee kleintjes' })]);
		await adminDb().query('select forget_member($1)', [asker.id]);
		const { rows } = await adminDb().query('select 1 from help_request where note = $1', ['Twee kleintjes']);
		expect(rows).toHaveLength(0);
	});
});
