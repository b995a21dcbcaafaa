import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonDataClient, memberDataClient, type DataClient } from '../../src/lib/server/db/client.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createInviteRow, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Every table in `public`, found in the catalogue (so a new table is covered the day it is
 * added), tried as a visitor and as an outsider member: what they may read, and that every
 * delete and every write of someone else's rows fails and changes nothing.
 */
const PUBLIC_READ = [
	'activity',
	'activity_host',
	'activity_slot_template',
	'gathering',
	'gathering_slot',
	'idea',
	'neighbourhood',
	// Offers: needs, and approved organisations with where they work.
	'need',
	'organisation',
	'organisation_neighbourhood'
];

let tables: string[] = [];
let outsider: string;

async function checksum(table: string) {
	const { rows } = await adminDb().query(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum from public."${table}" t`);
	return rows[0].sum as string;
}

async function checksums() {
	return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await checksum(t)])));
}

beforeAll(async () => {
	const { rows } = await adminDb().query<{ relname: string }>(
		`select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
		 where n.nspname = 'public' and c.relkind = 'r' order by 1`
	);
	tables = rows.map((r) => r.relname);
	// Something in every table, owned by others.
	const home = await createNeighbourhood('Matrixbuurt');
	const host = await createMember('Mila', home.id, 'coordinator');
	const activity = await createActivityWithGatherings(home.id, host, ['2030-09-01T16:00:00Z']);
	await createInviteRow(home.id, { activityId: activity });
	await adminDb().query(`insert into member_return_link (member_id, token_hash) values ($1, repeat('a', 64))`, [host]);
	const { rows: ideas } = await adminDb().query(
		`insert into idea (neighbourhood_id, title, proposed_by) values ($1, 'Zondagwandeling', $2) returning id`,
		[home.id, host]
	);
	await adminDb().query(`insert into idea_interest (idea_id, member_id, kind) values ($1, $2, 'join')`, [ideas[0].id, host]);
	await adminDb().query(
		`insert into attendance (gathering_id, member_id, status, going_since) select id, $2, 'going', now() from gathering where activity_id = $1`,
		[activity, host]
	);
	await adminDb().query(`insert into standing_signup (activity_id, member_id) values ($1, $2)`, [activity, host]);
	await adminDb().query(
		`insert into brought_person (attendance_id, gathering_id, brought_by, first_name) select a.id, a.gathering_id, $2, 'Els' from attendance a join gathering g on g.id = a.gathering_id where g.activity_id = $1`,
		[activity, host]
	);
	await adminDb().query(
		`insert into gathering_feedback (gathering_id, member_id, rating) select id, $2, 3 from gathering where activity_id = $1`,
		[activity, host]
	);
	await adminDb().query(
		`insert into slot_pledge (slot_id, member_id, quantity) select s.id, $2, 1 from gathering_slot s join gathering g on g.id = s.gathering_id where g.activity_id = $1 limit 1`,
		[activity, host]
	);
	const driver = await createMember('Dirk', home.id);
	await adminDb().query(
		`with g as (select id from gathering where activity_id = $1 limit 1),
		 r as (insert into help_request (gathering_id, member_id, kind) select id, $2, 'ride' from g returning id),
		 o as (insert into help_offer (gathering_id, member_id, kind, places) select id, $3, 'ride', 2 from g returning id)
		 insert into help_match (request_id, offer_id) select r.id, o.id from r, o`,
		[activity, host, driver]
	);
	await adminDb().query(
		`with g as (select id from gathering where activity_id = $1 limit 1),
		 r as (insert into gathering_reminder (gathering_id, member_id) select id, $2 from g),
		 n as (insert into notice (gathering_id, member_id, kind, sent_at) select id, $2, 'reminder', now() from g)
		 insert into push_subscription (member_id, endpoint, p256dh, auth) values ($2, 'https://fcm.googleapis.com/fcm/send/matrix', repeat('B', 87), repeat('a', 22))`,
		[activity, host]
	);
	// Offers: an approved organisation with its offer, a need with a pledge, contact and invitation.
	const { rows: orgs } = await adminDb().query(`insert into organisation (name, created_by) values ('Stichting', $1) returning id`, [host]);
	const org = orgs[0].id;
	await adminDb().query(`insert into organisation_contact (organisation_id, contact) values ($1, '020-123')`, [org]);
	await adminDb().query(`insert into organisation_member (organisation_id, member_id) values ($1, $2)`, [org, host]);
	await adminDb().query(`insert into organisation_neighbourhood (organisation_id, neighbourhood_id, status) values ($1, $2, 'approved')`, [org, home.id]);
	const { rows: offers } = await adminDb().query(
		`insert into offer (organisation_id, kind, title, quantity, terms, handover) values ($1, 'materials', 'Stoelen', 40, 'lend', 'delivered') returning id`,
		[org]
	);
	await adminDb().query(`insert into offer_neighbourhood (offer_id, neighbourhood_id) values ($1, $2)`, [offers[0].id, home.id]);
	const { rows: needs } = await adminDb().query(
		`insert into need (activity_id, neighbourhood_id, kind, title, quantity, pledged, created_by) values ($1, $2, 'materials', 'Stoelen', 20, 5, $3) returning id`,
		[activity, home.id, host]
	);
	const { rows: pledges } = await adminDb().query(
		`insert into pledge (need_id, member_id, quantity, status) values ($1, $2, 5, 'accepted') returning id`,
		[needs[0].id, host]
	);
	await adminDb().query(`insert into pledge_contact (pledge_id, side, contact) values ($1, 'giver', '06-1')`, [pledges[0].id]);
	await adminDb().query(`insert into need_invitation (need_id, offer_id, invited_by) values ($1, $2, $3)`, [needs[0].id, offers[0].id, host]);
	await adminDb().query(`insert into organisation_invite (organisation_id, token_hash, created_by) values ($1, repeat('b', 64), $2)`, [org, host]);
	await adminDb().query(`insert into calendar_feed_token (member_id, token_hash, token_sealed) values ($1, repeat('c', 64), 'sealed')`, [host]);
	outsider = await createMember('Otto');
});
afterAll(closeAdminDb);

describe.each([
	['visitor', () => anonDataClient()],
	['member of no neighbourhood', () => memberDataClient(outsider)]
] as [string, () => DataClient | Promise<DataClient>][])('as a %s', (role, client) => {
	it('every table is covered, each with rows in it', async () => {
		expect(tables).toEqual(
			expect.arrayContaining([
				...PUBLIC_READ,
				'attendance',
				'brought_person',
				'gathering_feedback',
				'idea_interest',
				'invite',
				'member',
				'member_return_link',
				'neighbourhood_member',
				'slot_pledge',
				'standing_signup',
				'offer',
				'offer_neighbourhood',
				'organisation_contact',
				'organisation_member',
				'pledge',
				'pledge_contact',
				'need_invitation',
				'organisation_invite'
			])
		);
		for (const table of tables) {
			expect((await adminDb().query(`select 1 from public."${table}" limit 1`)).rowCount, table).toBe(1);
		}
	});

	it('reads only what is public (and, as a member, their own record)', async () => {
		const db = await client();
		for (const table of tables) {
			const { data, error } = await db.from(table).select('*');
			if (PUBLIC_READ.includes(table)) {
				expect(error, table).toBeNull();
				expect(data!.length, table).toBeGreaterThan(0);
			} else if (role === 'visitor') {
				expect(error?.code, table).toBe('42501');
			} else if (error) {
				// Some columns are granted to nobody (member_return_link.token_hash): `*` is refused.
				expect(error.code, table).toBe('42501');
			} else {
				const own = table === 'member' ? [{ id: outsider }] : [];
				expect(data!.map((r) => (table === 'member' ? { id: r.id } : r)), table).toEqual(own);
			}
		}
	});

	it('cannot delete or overwrite anything of anyone else', async () => {
		const db = await client();
		const before = await checksums();
		for (const table of tables) {
			await db.from(table).delete().neq('created_at', '1900-01-01');
			await db.from(table).delete().not('id', 'is', null);
			await db.from(table).update({ created_at: '2000-01-01T00:00:00Z' }).not('created_at', 'is', null);
			await db.from(table).insert({});
		}
		const after = await checksums();
		// An outsider may only have touched their own member record, and RLS/grants forbid even that for created_at.
		expect(after).toEqual(before);
	});
});
