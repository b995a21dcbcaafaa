import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonDataClient, memberDataClient, type DataClient } from '../../src/lib/server/db/client.ts';
import {
	createNeed,
	getNeed,
	inviteOffer,
	myPledgeContributions,
	offersIn,
	pledgeContacts,
	pledgeToNeed,
	saveOffer,
	setOfferStatus,
	setPledgeStatus,
	suggestedOffers,
	thankPledge,
	changeNeed,
	visiblePledges
} from '../../src/lib/offers/queries.server.ts';
import {
	addOrganisationMember,
	createOrganisation,
	decideOrganisation,
	getOrganisation,
	getOrganisationContact,
	organisationRecord
} from '../../src/lib/organisations/queries.server.ts';
import { offerFormSchema, needFormSchema } from '../../src/lib/offers/offers.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Offers, needs and pledges through supabase-js and PostgREST as each person: who sees what,
 * the pledge lifecycle, and quantities that hold under many simultaneous pledges.
 */
let home: { id: string };
let elsewhere: { id: string };
let host: string;
let coordinator: string;
let neighbour: string;
let orgMember: string;
let otherOrgMember: string;
let outsider: string;
let activity: string;
let gathering: string;
let organisation: string;
let otherOrganisation: string;
const as = (id: string) => memberDataClient(id);
const week = new Date(Date.now() + 7 * 86_400_000).toISOString();

function offerForm(fields: Record<string, unknown>) {
	return offerFormSchema.parse({ title: 'Klapstoelen', kind: 'materials', quantity: '40', terms: 'lend', handover: 'delivered', ...fields });
}

async function need(db: DataClient, fields: Record<string, unknown>) {
	const created = await createNeed(db, host, needFormSchema.parse({ activity, gathering, kind: 'materials', title: 'Stoelen', quantity: '20', ...fields }));
	return created!;
}

beforeAll(async () => {
	home = await createNeighbourhood('Aanbodbuurt');
	elsewhere = await createNeighbourhood('Verderop');
	host = await createMember('Hanna', home.id);
	coordinator = await createMember('Cor', home.id, 'coordinator');
	await adminDb().query(`insert into neighbourhood_member (neighbourhood_id, member_id, role) values ($1, $2, 'coordinator')`, [elsewhere.id, coordinator]);
	neighbour = await createMember('Noor', home.id);
	orgMember = await createMember('Olga');
	otherOrgMember = await createMember('Otis');
	outsider = await createMember('Umar');
	activity = await createActivityWithGatherings(home.id, host, [week]);
	gathering = (await adminDb().query('select id from gathering where activity_id = $1', [activity])).rows[0].id;
	organisation = await createOrganisation(
		await as(orgMember),
		{ name: 'Gereedschapsbank', description: 'Wij lenen uit', website: 'https://example.org', logo_url: '', contact: 'Olga, 06-12345678' },
		[home.id]
	);
	otherOrganisation = await createOrganisation(
		await as(otherOrgMember),
		{ name: 'Andere stichting', description: '', website: '', logo_url: '', contact: 'info@andere.example' },
		[home.id]
	);
});
afterAll(closeAdminDb);

describe('organisations: approval and visibility per role', () => {
	it('before approval: only its members and the coordinator asked see the profile; contact is never public', async () => {
		expect(await getOrganisation(anonDataClient(), organisation)).toBeNull();
		expect(await getOrganisation(await as(neighbour), organisation)).toBeNull();
		expect(await getOrganisation(await as(otherOrgMember), organisation)).toBeNull();
		expect((await getOrganisation(await as(orgMember), organisation))?.name).toBe('Gereedschapsbank');
		expect((await getOrganisation(await as(coordinator), organisation))?.name).toBe('Gereedschapsbank');
		expect(await getOrganisationContact(await as(coordinator), organisation)).toBe('Olga, 06-12345678');
		expect(await getOrganisationContact(await as(host), organisation)).toBeNull();
		expect(await getOrganisationContact(anonDataClient(), organisation)).toBeNull();
	});

	it('only a coordinator of that neighbourhood approves; its offers show there only after approval', async () => {
		const saved = await saveOffer(await as(orgMember), null, offerForm({ organisation, neighbourhoods: [home.id] }));
		expect(saved.ok).toBe(true);
		// Not yet approved: members of the neighbourhood do not see it.
		expect(await offersIn(await as(neighbour), home.id)).toEqual([]);
		const own = await (await as(orgMember)).from('offer').select('id').eq('organisation_id', organisation);
		expect(own.data).toHaveLength(1);

		expect(await decideOrganisation(await as(host), organisation, home.id, true)).toBe(false);
		expect(await decideOrganisation(await as(orgMember), organisation, home.id, true)).toBe(false);
		// A coordinator of another neighbourhood only.
		const farCoordinator = await createMember('Ver', elsewhere.id, 'coordinator');
		expect(await decideOrganisation(await as(farCoordinator), organisation, home.id, true)).toBe(false);
		expect(await decideOrganisation(await as(coordinator), organisation, home.id, true)).toBe(true);

		const shown = await offersIn(await as(neighbour), home.id);
		expect(shown.map((o) => [o.title, o.organisation_name, o.giver_name])).toEqual([['Klapstoelen', 'Gereedschapsbank', null]]);
		// Visitors and people outside the neighbourhood never see offers.
		expect(await offersIn(anonDataClient(), home.id)).toEqual([]);
		expect(await offersIn(await as(outsider), home.id)).toEqual([]);
		// Once approved the profile is public; the contact goes to hosts there, not to everyone.
		expect((await getOrganisation(anonDataClient(), organisation))?.name).toBe('Gereedschapsbank');
		expect(await getOrganisationContact(await as(host), organisation)).toBe('Olga, 06-12345678');
		expect(await getOrganisationContact(await as(neighbour), organisation)).toBeNull();
		expect(await getOrganisationContact(await as(otherOrgMember), organisation)).toBeNull();
	});

	it('members act for their organisation only; another organisation cannot act for it', async () => {
		expect((await saveOffer(await as(otherOrgMember), null, offerForm({ organisation, neighbourhoods: [home.id] }))).ok).toBe(false);
		expect(await addOrganisationMember(await as(otherOrgMember), organisation, otherOrgMember)).toBe(false);
		// An organisation offers only where it asked to work.
		expect(await saveOffer(await as(orgMember), null, offerForm({ organisation, neighbourhoods: [elsewhere.id] }))).toEqual({
			ok: false,
			refusal: 'neighbourhoods'
		});
		// A member offers only in neighbourhoods they belong to.
		expect(await saveOffer(await as(outsider), null, offerForm({ neighbourhoods: [home.id] }))).toEqual({ ok: false, refusal: 'neighbourhoods' });
		const { data } = await (await as(otherOrgMember)).from('organisation_member').select('member_id').eq('organisation_id', organisation);
		expect(data).toEqual([]);
	});

	it('declined organisations stay hidden and cannot pledge', async () => {
		await saveOffer(await as(otherOrgMember), null, offerForm({ organisation: otherOrganisation, title: 'Tafels', neighbourhoods: [home.id] }));
		expect(await decideOrganisation(await as(coordinator), otherOrganisation, home.id, false)).toBe(true);
		expect((await offersIn(await as(neighbour), home.id)).some((o) => o.title === 'Tafels')).toBe(false);
		expect(await getOrganisation(anonDataClient(), otherOrganisation)).toBeNull();
		const n = await need(await as(host), { title: 'Tafels nodig', quantity: '2' });
		expect(await pledgeToNeed(await as(otherOrgMember), { need: n.id, quantity: 1, organisation: otherOrganisation, offer: null, message: '', contact: '' })).toEqual({
			ok: false,
			refusal: 'not_approved'
		});
	});
});

describe('needs', () => {
	it('only those who run the activity post and change needs; everyone reads them', async () => {
		expect(await createNeed(await as(neighbour), neighbour, needFormSchema.parse({ activity, kind: 'hands', title: 'Koks', quantity: '2' }))).toBeNull();
		const n = await need(await as(host), { kind: 'hands', title: 'Afwassers', quantity: '2' });
		expect(n.neighbourhood_id).toBe(home.id);
		expect((await getNeed(anonDataClient(), n.id))?.title).toBe('Afwassers');
		expect(await changeNeed(await as(neighbour), n.id, { status: 'closed' })).toEqual({ ok: false, refusal: 'not_allowed' });
		// The coordinator may step in, as for everything else about an activity.
		expect((await changeNeed(await as(coordinator), n.id, { quantity: 3 })).ok).toBe(true);
	});

	it('a need can ask help for a board slot nobody filled, and must belong to that gathering', async () => {
		const slot = (await adminDb().query(`select id from gathering_slot where gathering_id = $1 limit 1`, [gathering])).rows[0].id;
		const n = await need(await as(host), { slot, kind: 'hands', title: 'Koken' });
		expect(n.gathering_id).toBe(gathering);
		const otherActivity = await createActivityWithGatherings(home.id, host, [week], 'Ander');
		expect(await createNeed(await as(host), host, needFormSchema.parse({ activity: otherActivity, gathering, kind: 'hands', title: 'X' }))).toBeNull();
	});
	it('a pledge to a need made from a slot fills the slot; neither way goes past the slot, also when both come at once', async () => {
		const { pledgeToSlot, boardSummary } = await import('../../src/lib/boards/queries.server.ts');
		const { rows } = await adminDb().query<{ id: string }>(
			`insert into gathering_slot (gathering_id, label, kind, quantity, position) values ($1, 'Klapstoelen', 'item', 20, 50) returning id`,
			[gathering]
		);
		const slot = rows[0]!.id;
		const taken = async () => (await boardSummary(anonDataClient(), gathering)).slots.find((s) => s.id === slot)!.taken;
		const n = await need(await as(host), { slot, kind: 'materials', title: 'Klapstoelen', quantity: '20' });
		const fifteen = await pledgeToNeed(await as(neighbour), { need: n.id, quantity: 15, organisation: null, offer: null, message: '', contact: '' });
		expect(fifteen.ok).toBe(true);
		// The board counts it: the chairs cannot be promised twice.
		expect(await taken()).toBe(15);
		expect(await pledgeToSlot(await as(host), slot, 6)).toEqual({ ok: false, refusal: 'slot_full', left: 5 });
		// Withdrawn, the chairs are open on the board again.
		expect((await setPledgeStatus(await as(neighbour), (fifteen as { id: string }).id, 'withdrawn')).ok).toBe(true);
		expect(await taken()).toBe(0);
		expect((await pledgeToSlot(await as(host), slot, 15)).ok).toBe(true);
		// The need asks for 20, but the slot has 5 left: a pledge to the need fits what the slot has.
		expect(await pledgeToNeed(await as(neighbour), { need: n.id, quantity: 6, organisation: null, offer: null, message: '', contact: '' })).toEqual({
			ok: false,
			refusal: 'need_full',
			left: 5
		});

		// Ten neighbours take one chair on the board and ten pledge one to the need, all at once:
		// exactly the five left are given, never more.
		const people: string[] = [];
		for (let i = 0; i < 20; i++) people.push(await createMember(`Stoel${i}`, home.id));
		const clients = await Promise.all(people.map((id) => as(id)));
		const answers = await Promise.all(
			clients.map((db, i) =>
				i % 2 === 0
					? pledgeToSlot(db, slot, 1)
					: pledgeToNeed(db, { need: n.id, quantity: 1, organisation: null, offer: null, message: '', contact: '' })
			)
		);
		expect(answers.filter((a) => a.ok)).toHaveLength(5);
		expect(answers.filter((a) => !a.ok).every((a) => !a.ok && (a.refusal === 'slot_full' || a.refusal === 'need_full'))).toBe(true);
		expect(await taken()).toBe(20);
	});
});

describe('pledge lifecycle', () => {
	it('offered → accepted → delivered, contact passes only once accepted and only what each side shared, thanks reach the giver', async () => {
		const n = await need(await as(host), { title: 'Stoelen', quantity: '20' });
		const pledged = await pledgeToNeed(await as(neighbour), { need: n.id, quantity: 5, organisation: null, offer: null, message: 'Ik heb er 5', contact: 'Noor: 06-1111' });
		expect(pledged.ok).toBe(true);
		const id = (pledged as { id: string }).id;

		// The host sees the pledge and the giver's name, but not yet the contact.
		const hostView = await visiblePledges(await as(host), [n.id]);
		expect(hostView.map((p) => [p.giver_name, p.quantity, p.status])).toEqual([['Noor', 5, 'offered']]);
		expect(await pledgeContacts(await as(host), [id])).toEqual([]);
		expect(await pledgeContacts(await as(neighbour), [id])).toEqual([{ pledge_id: id, side: 'giver', contact: 'Noor: 06-1111' }]);
		// Others see neither the pledge nor the contact.
		expect(await visiblePledges(await as(outsider), [n.id])).toEqual([]);
		expect(await visiblePledges(await as(orgMember), [n.id])).toEqual([]);
		expect(await pledgeContacts(await as(orgMember), [id])).toEqual([]);
		expect((await anonDataClient().from('pledge').select('id')).error?.code).toBe('42501');

		// The giver cannot accept their own pledge.
		expect(await setPledgeStatus(await as(neighbour), id, 'accepted')).toEqual({ ok: false, refusal: 'wrong_step' });
		expect(await setPledgeStatus(await as(outsider), id, 'accepted')).toEqual({ ok: false, refusal: 'not_allowed' });
		// Delivered before accepted is not a step.
		expect(await setPledgeStatus(await as(host), id, 'delivered')).toEqual({ ok: false, refusal: 'wrong_step' });
		expect(await setPledgeStatus(await as(host), id, 'accepted', 'Hanna: 06-2222')).toMatchObject({ ok: true, status: 'accepted', gathering_id: gathering });

		const both = [
			{ pledge_id: id, side: 'giver', contact: 'Noor: 06-1111' },
			{ pledge_id: id, side: 'host', contact: 'Hanna: 06-2222' }
		];
		const sorted = (rows: { side: string }[]) => [...rows].sort((a, b) => a.side.localeCompare(b.side));
		expect(sorted(await pledgeContacts(await as(host), [id]))).toEqual(both);
		expect(sorted(await pledgeContacts(await as(neighbour), [id]))).toEqual(both);
		expect(await pledgeContacts(await as(outsider), [id])).toEqual([]);

		expect(await thankPledge(await as(host), id, 'Dank je!')).toEqual({ ok: false, refusal: 'wrong_step' });
		expect((await setPledgeStatus(await as(host), id, 'delivered')).ok).toBe(true);
		expect(await thankPledge(await as(neighbour), id, 'Zelf bedankt')).toEqual({ ok: false, refusal: 'not_allowed' });
		expect(await thankPledge(await as(host), id, 'Dank je!')).toEqual({ ok: true });
		expect(await myPledgeContributions(await as(neighbour))).toEqual([
			{ kind: 'materials', title: 'Stoelen', activity_title: 'Dinsdagdiner', times: 1, quantity: 5, last_thanks: 'Dank je!' }
		]);
		// A delivered pledge cannot be withdrawn.
		expect(await setPledgeStatus(await as(neighbour), id, 'withdrawn')).toEqual({ ok: false, refusal: 'wrong_step' });
	});

	it('declined and withdrawn pledges give their quantity back; one open pledge per giver; never more than asked', async () => {
		const n = await need(await as(host), { title: 'Borden', quantity: '10' });
		const a = await pledgeToNeed(await as(neighbour), { need: n.id, quantity: 6, organisation: null, offer: null, message: '', contact: '' });
		expect(await pledgeToNeed(await as(neighbour), { need: n.id, quantity: 1, organisation: null, offer: null, message: '', contact: '' })).toEqual({
			ok: false,
			refusal: 'already_pledged'
		});
		expect(await pledgeToNeed(await as(host), { need: n.id, quantity: 5, organisation: null, offer: null, message: '', contact: '' })).toEqual({
			ok: false,
			refusal: 'need_full',
			left: 4
		});
		expect((await getNeed(anonDataClient(), n.id))?.pledged).toBe(6);
		// Lowering the need below what is pledged is refused.
		expect(await changeNeed(await as(host), n.id, { quantity: 5 })).toEqual({ ok: false, refusal: 'too_low' });
		expect((await setPledgeStatus(await as(neighbour), (a as { id: string }).id, 'withdrawn')).ok).toBe(true);
		expect((await getNeed(anonDataClient(), n.id))?.pledged).toBe(0);
		const b = await pledgeToNeed(await as(neighbour), { need: n.id, quantity: 10, organisation: null, offer: null, message: '', contact: '' });
		expect(b.ok).toBe(true);
		expect((await setPledgeStatus(await as(host), (b as { id: string }).id, 'declined')).ok).toBe(true);
		expect((await getNeed(anonDataClient(), n.id))?.pledged).toBe(0);
		// Outsiders and closed needs take no pledges.
		expect(await pledgeToNeed(await as(outsider), { need: n.id, quantity: 1, organisation: null, offer: null, message: '', contact: '' })).toEqual({
			ok: false,
			refusal: 'not_allowed'
		});
		await changeNeed(await as(host), n.id, { status: 'closed' });
		expect(await pledgeToNeed(await as(neighbour), { need: n.id, quantity: 1, organisation: null, offer: null, message: '', contact: '' })).toEqual({
			ok: false,
			refusal: 'closed'
		});
	});

	it('100 people pledging at once on a need for 25: pledges add up to exactly 25', async () => {
		const n = await need(await as(host), { title: 'Bekers', quantity: '25' });
		const people: string[] = [];
		for (let i = 0; i < 100; i++) people.push(await createMember(`Gever${i}`, home.id));
		const clients = await Promise.all(people.map((id) => as(id)));
		const amounts = people.map((_, i) => 1 + (i % 3));
		const results = await Promise.all(
			clients.map((db, i) => pledgeToNeed(db, { need: n.id, quantity: amounts[i]!, organisation: null, offer: null, message: '', contact: '' }))
		);
		const accepted = results.map((r, i) => (r.ok ? amounts[i]! : 0)).reduce((a, b) => a + b, 0);
		expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.refusal === 'need_full')).toBe(true);
		const { rows } = await adminDb().query(
			`select coalesce(sum(quantity), 0)::int as total, (select pledged from need where id = $1) as pledged
			 from pledge where need_id = $1 and status in ('offered', 'accepted', 'delivered')`,
			[n.id]
		);
		expect(rows[0].total).toBe(accepted);
		expect(rows[0].pledged).toBe(accepted);
		expect(accepted).toBeLessThanOrEqual(25);
		// Small amounts were still being offered when it filled up, so it filled up exactly.
		expect(accepted).toBe(25);

		// Withdrawing and pledging again at the same time keeps the count exact.
		const holders = results.map((r, i) => (r.ok ? { id: r.id, i } : null)).filter((x): x is { id: string; i: number } => x !== null).slice(0, 5);
		const latecomers = results.map((r, i) => (r.ok ? null : i)).filter((i): i is number => i !== null).slice(0, 20);
		await Promise.all([
			...holders.map((h) => setPledgeStatus(clients[h.i]!, h.id, 'withdrawn')),
			...latecomers.map((i) => pledgeToNeed(clients[i]!, { need: n.id, quantity: 1, organisation: null, offer: null, message: '', contact: '' }))
		]);
		const after = await adminDb().query(
			`select coalesce(sum(quantity), 0)::int as total, (select pledged from need where id = $1) as pledged
			 from pledge where need_id = $1 and status in ('offered', 'accepted', 'delivered')`,
			[n.id]
		);
		expect(after.rows[0].total).toBe(after.rows[0].pledged);
		expect(after.rows[0].total).toBeLessThanOrEqual(25);
	});

	it('an organisation pledges through its members; any of its members sees it; the record counts what it delivered', async () => {
		const colleague = await createMember('Olaf');
		expect(await addOrganisationMember(await as(orgMember), organisation, colleague)).toBe(true);
		const n = await need(await as(host), { title: 'Klapstoelen', quantity: '40' });
		const p = await pledgeToNeed(await as(orgMember), { need: n.id, quantity: 40, organisation, offer: null, message: '', contact: 'Gereedschapsbank: 020-123' });
		expect(p.ok).toBe(true);
		const id = (p as { id: string }).id;
		expect((await visiblePledges(await as(colleague), [n.id])).map((x) => x.organisation_name)).toEqual(['Gereedschapsbank']);
		expect(await visiblePledges(await as(otherOrgMember), [n.id])).toEqual([]);
		// A colleague may withdraw or follow up for the organisation.
		expect((await setPledgeStatus(await as(host), id, 'accepted', 'Hanna 06-2222')).ok).toBe(true);
		expect((await pledgeContacts(await as(colleague), [id])).map((c) => c.side).sort()).toEqual(['giver', 'host']);
		expect((await setPledgeStatus(await as(host), id, 'delivered')).ok).toBe(true);
		const year = new Date().getUTCFullYear();
		expect(await organisationRecord(anonDataClient(), organisation, year)).toEqual([
			{ kind: 'materials', title: 'Klapstoelen', terms: null, quantity: 40, activities: 1, times: 1 }
		]);
		// Not in a member's personal log: it was given by the organisation.
		expect((await myPledgeContributions(await as(orgMember))).some((c) => c.title === 'Klapstoelen')).toBe(false);
	});
});

describe('suggested offers and invitations', () => {
	it('suggests active offers of the same kind, in the neighbourhood, available on the date, with enough; hosts invite them', async () => {
		const mine = await saveOffer(await as(neighbour), null, offerForm({ title: 'Statafels', quantity: '3', neighbourhoods: [home.id] }));
		const tooFew = await saveOffer(await as(neighbour), null, offerForm({ title: 'Eén tafel', quantity: '1', neighbourhoods: [home.id] }));
		const later = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
		const notYet = await saveOffer(await as(neighbour), null, offerForm({ title: 'Later', quantity: '9', available_from: later, neighbourhoods: [home.id] }));
		const hands = await saveOffer(await as(neighbour), null, offerFormSchema.parse({ title: 'Handen', kind: 'hands', quantity: '3', neighbourhoods: [home.id] }));
		expect([mine, tooFew, notYet, hands].every((r) => r.ok)).toBe(true);
		const n = await need(await as(host), { title: 'Tafels', quantity: '3' });
		const titles = (await suggestedOffers(await as(host), n.id)).map((s) => s.title);
		expect(titles).toContain('Statafels');
		expect(titles).toContain('Klapstoelen');
		expect(titles).not.toContain('Eén tafel');
		expect(titles).not.toContain('Later');
		expect(titles).not.toContain('Handen');
		// Paused offers are not suggested; nor shown to anyone but the giver.
		await setOfferStatus(await as(neighbour), (mine as { id: string }).id, 'paused');
		expect((await suggestedOffers(await as(host), n.id)).map((s) => s.title)).not.toContain('Statafels');
		expect(await setOfferStatus(await as(host), (mine as { id: string }).id, 'active')).toBe(false);
		await setOfferStatus(await as(neighbour), (mine as { id: string }).id, 'active');

		expect(await suggestedOffers(await as(neighbour), n.id)).toEqual([]);
		expect(await inviteOffer(await as(neighbour), n.id, (mine as { id: string }).id)).toBe(false);
		expect(await inviteOffer(await as(host), n.id, (mine as { id: string }).id)).toBe(true);
		const { data } = await (await as(neighbour)).from('need_invitation').select('need_id').eq('need_id', n.id);
		expect(data).toEqual([{ need_id: n.id }]);
		expect((await suggestedOffers(await as(host), n.id)).find((s) => s.title === 'Statafels')?.invited).toBe(true);

		// Once the giver pledges, their offer is no longer suggested; a need fully pledged suggests nothing.
		expect((await pledgeToNeed(await as(neighbour), { need: n.id, quantity: 1, organisation: null, offer: null, message: '', contact: '' })).ok).toBe(true);
		expect((await suggestedOffers(await as(host), n.id)).map((s) => s.title)).not.toContain('Statafels');
		expect((await pledgeToNeed(await as(orgMember), { need: n.id, quantity: 2, organisation, offer: null, message: '', contact: '' })).ok).toBe(true);
		expect(await suggestedOffers(await as(host), n.id)).toEqual([]);
	});
});

describe('colleagues', () => {
	it('join through a link only its members make; a new link or switching off stops the old one; nobody reads the hash', async () => {
		const { createHash, randomBytes } = await import('node:crypto');
		const hash = (t: string) => createHash('sha256').update(t).digest('hex');
		const first = randomBytes(32).toString('base64url');
		const { createOrganisationInvite, findOrganisationInvite, joinOrganisation, revokeOrganisationInvites } = await import(
			'../../src/lib/organisations/queries.server.ts'
		);
		expect(await createOrganisationInvite(await as(otherOrgMember), organisation, hash(first))).toBe(false);
		expect(await createOrganisationInvite(await as(orgMember), organisation, hash(first))).toBe(true);
		const newcomer = await createMember('Nieuwe collega');
		expect((await findOrganisationInvite(await as(newcomer), hash(first)))?.name).toBe('Gereedschapsbank');
		expect(await findOrganisationInvite(await as(newcomer), hash('guess'))).toBeNull();
		expect((await (await as(orgMember)).from('organisation_invite').select('token_hash')).error?.code).toBe('42501');

		const second = randomBytes(32).toString('base64url');
		await createOrganisationInvite(await as(orgMember), organisation, hash(second));
		expect(await joinOrganisation(await as(newcomer), hash(first))).toBeNull();
		expect(await joinOrganisation(await as(newcomer), hash(second))).toBe(organisation);
		expect(await isOrganisationMemberAs(newcomer)).toBe(true);

		await revokeOrganisationInvites(await as(orgMember), organisation);
		const late = await createMember('Te laat');
		expect(await joinOrganisation(await as(late), hash(second))).toBeNull();
		expect(await isOrganisationMemberAs(late)).toBe(false);
	});
});

async function isOrganisationMemberAs(member: string) {
	const { isOrganisationMember } = await import('../../src/lib/organisations/queries.server.ts');
	return isOrganisationMember(await as(member), organisation);
}
