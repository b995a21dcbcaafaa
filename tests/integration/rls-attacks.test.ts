import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signDataApiToken, type DataApiRole } from '../../src/lib/server/auth/tokens.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood, createSignIn } from './fixtures.ts';

/**
 * A member with a valid token goes straight to the Data API (`/rest/v1`, as any client could)
 * and tries to read and write what row-level security forbids. Every attempt must fail — an
 * error, or no rows and none of the secrets in the answer — and the database must be
 * unchanged afterwards. Mallory is an ordinary member of the same neighbourhood, on the same
 * board as her victim Vera; Hugo hosts the activity (and may see much, but not everything).
 */

const SECRET = {
	contact: 'VERA-CONTACT-06-12345678',
	note: 'VERA-NOTE-near-the-station',
	endpoint: 'https://fcm.googleapis.com/fcm/send/VERA-ENDPOINT',
	email: 'vera.secret@example.org',
	// Random: other files share this run's database and its unique hashes.
	returnHash: randomBytes(32).toString('hex'),
	feedHash: randomBytes(32).toString('hex'),
	orgInviteHash: randomBytes(32).toString('hex'),
	inviteHash: randomBytes(32).toString('hex'),
	sealed: 'VERA-SEALED-TOKEN'
};

let rest: string;
let anonKey: string;
let signer: string;
const tokens = {} as Record<'mallory' | 'hugo' | 'anon' | 'forgedService' | 'noneAlg' | 'expired' | 'otherRole', string>;
const ids = {} as Record<'home' | 'other' | 'vera' | 'mallory' | 'hugo' | 'dirk' | 'activity' | 'gathering' | 'slot' | 'need' | 'pledge' | 'organisation' | 'helpRequest' | 'otherActivity', string>;

type Attack = { name: string; as: keyof typeof tokens; method?: string; path: string; body?: unknown; headers?: Record<string, string>; allowRows?: boolean };
const results: { name: string; refused: boolean; why: string }[] = [];

async function digest() {
	const { rows: tables } = await adminDb().query<{ t: string }>(
		`select format('%I.%I', n.nspname, c.relname) as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
		 where n.nspname in ('public', 'identity') and c.relkind = 'r' and c.relname not in ('session', 'rateLimit', 'request_limit', 'socket_io_attachments', 'verification') order by 1`
	);
	const sums: Record<string, string> = {};
	for (const { t } of tables) {
		const { rows } = await adminDb().query(
			`select md5(coalesce(string_agg((to_jsonb(x) - 'last_seen_at')::text, '|' order by (to_jsonb(x) - 'last_seen_at')::text), '')) as sum from ${t} x`
		);
		sums[t] = rows[0].sum;
	}
	return sums;
}

async function attempt(attack: Attack) {
	const token = tokens[attack.as];
	const response = await fetch(`${rest}${attack.path}`, {
		method: attack.method ?? 'GET',
		headers: {
			apikey: anonKey,
			authorization: `Bearer ${token}`,
			'content-type': 'application/json',
			...attack.headers
		},
		body: attack.body === undefined ? undefined : JSON.stringify(attack.body)
	});
	const text = await response.text();
	const leaked = Object.values(SECRET).filter((s) => text.includes(s));
	let rows: unknown = null;
	try {
		rows = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	const empty = Array.isArray(rows) ? rows.length === 0 : rows === null || rows === '' || text.trim() === '';
	const refused = leaked.length === 0 && (response.status >= 400 || empty || Boolean(attack.allowRows));
	results.push({ name: attack.name, refused, why: `${response.status} ${text.slice(0, 200)}${leaked.length ? ` LEAKED ${leaked.join(',')}` : ''}` });
	return { refused, status: response.status, text };
}

beforeAll(async () => {
	const env = inject('stackEnv');
	rest = `${env.SUPABASE_URL}/rest/v1`;
	anonKey = env.SUPABASE_PUBLISHABLE_KEY;
	// What signs members' tokens here: the app's key (embedded) or a legacy secret (an older Supabase project).
	signer = env.DATA_API_SIGNING_KEY ?? env.SUPABASE_JWT_SECRET!;
	const db = adminDb();
	const home = await createNeighbourhood('Aanvalsbuurt');
	const other = await createNeighbourhood('Verre buurt');
	ids.home = home.id;
	ids.other = other.id;
	ids.hugo = await createMember('Hugo', home.id);
	ids.vera = await createMember('Vera', home.id);
	ids.mallory = await createMember('Mallory', home.id);
	ids.dirk = await createMember('Dirk', home.id);
	await createSignIn(ids.vera, SECRET.email);
	ids.activity = await createActivityWithGatherings(home.id, ids.hugo, ['2030-06-04T16:00:00Z']);
	await db.query('insert into activity_host (activity_id, member_id) values ($1, $2) on conflict do nothing', [ids.activity, ids.hugo]);
	ids.otherActivity = await createActivityWithGatherings(other.id, ids.dirk, ['2030-06-05T16:00:00Z'], 'Ver weg');
	ids.gathering = (await db.query('select id from gathering where activity_id = $1', [ids.activity])).rows[0].id;
	ids.slot = (await db.query(`insert into gathering_slot (gathering_id, label, kind, quantity) values ($1, 'Soep', 'item', 5) returning id`, [ids.gathering])).rows[0].id;
	// Vera and Mallory are both on the board.
	for (const m of [ids.vera, ids.mallory]) {
		await db.query(`insert into attendance (gathering_id, member_id, status, going_since) values ($1, $2, 'going', now())`, [ids.gathering, m]);
	}
	await db.query(`insert into slot_pledge (slot_id, member_id, quantity) values ($1, $2, 1)`, [ids.slot, ids.vera]);
	// Vera asks for a ride; Dirk drives her: a private match with her note.
	ids.helpRequest = (
		await db.query(
			`with r as (insert into help_request (gathering_id, member_id, kind, note) values ($1, $2, 'ride', $4) returning id),
			 o as (insert into help_offer (gathering_id, member_id, kind, places) values ($1, $3, 'ride', 2) returning id),
			 m as (insert into help_match (request_id, offer_id) select r.id, o.id from r, o)
			 select id from r`,
			[ids.gathering, ids.vera, ids.dirk, SECRET.note]
		)
	).rows[0].id;
	await db.query(`insert into gathering_reminder (gathering_id, member_id) values ($1, $2)`, [ids.gathering, ids.vera]);
	// Already sent: a pending one would be mailed by other files' runs of sendNotices.
	await db.query(`insert into notice (gathering_id, member_id, kind, sent_at) values ($1, $2, 'reminder', now())`, [ids.gathering, ids.vera]);
	await db.query(`insert into push_subscription (member_id, endpoint, p256dh, auth) values ($1, $2, repeat('B', 87), repeat('a', 22))`, [ids.vera, SECRET.endpoint]);
	await db.query(`insert into member_return_link (member_id, token_hash) values ($1, $2)`, [ids.vera, SECRET.returnHash]);
	await db.query(`insert into calendar_feed_token (member_id, token_hash, token_sealed) values ($1, $2, $3)`, [ids.vera, SECRET.feedHash, SECRET.sealed]);
	await db.query(`insert into invite (neighbourhood_id, code_hash, code_sealed) values ($1, $2, $3)`, [home.id, SECRET.inviteHash, SECRET.sealed]);
	// Vera offers pans to Hugo's need; her contact is for Hugo only once he accepts.
	ids.organisation = (await db.query(`insert into organisation (name, created_by) values ('Stichting Vera', $1) returning id`, [ids.vera])).rows[0].id;
	await db.query(`insert into organisation_member (organisation_id, member_id) values ($1, $2)`, [ids.organisation, ids.vera]);
	await db.query(`insert into organisation_contact (organisation_id, contact) values ($1, $2)`, [ids.organisation, SECRET.contact]);
	await db.query(`insert into organisation_invite (organisation_id, token_hash, created_by) values ($1, $2, $3)`, [ids.organisation, SECRET.orgInviteHash, ids.vera]);
	ids.need = (await db.query(`insert into need (activity_id, neighbourhood_id, kind, title, quantity, pledged, created_by) values ($1, $2, 'materials', 'Pannen', 10, 2, $3) returning id`, [ids.activity, home.id, ids.hugo])).rows[0].id;
	ids.pledge = (await db.query(`insert into pledge (need_id, member_id, quantity, status) values ($1, $2, 2, 'offered') returning id`, [ids.need, ids.vera])).rows[0].id;
	await db.query(`insert into pledge_contact (pledge_id, side, contact) values ($1, 'giver', $2)`, [ids.pledge, SECRET.contact]);

	tokens.mallory = await signDataApiToken(signer, { role: 'authenticated', sub: ids.mallory }, 600);
	tokens.hugo = await signDataApiToken(signer, { role: 'authenticated', sub: ids.hugo }, 600);
	tokens.anon = anonKey;
	// Tokens nobody may make: the service role signed with a guessed secret, no signature, expired, a database superuser role.
	tokens.forgedService = await new SignJWT({ role: 'service_role' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('10m').sign(new TextEncoder().encode('x'.repeat(40)));
	const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
	tokens.noneAlg = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'service_role', exp: Math.floor(Date.now() / 1000) + 600 })}.`;
	tokens.expired = await signDataApiToken(signer, { role: 'authenticated', sub: ids.mallory }, -60);
	tokens.otherRole = await signDataApiToken(signer, { role: 'authenticator' as DataApiRole, sub: ids.mallory }, 600);
});

afterAll(async () => {
	const refused = results.filter((r) => r.refused).length;
	console.log(`RLS attacks: ${results.length} tried, ${refused} refused`);
	for (const r of results.filter((x) => !x.refused)) console.log(`  NOT REFUSED: ${r.name}: ${r.why}`);
	await closeAdminDb();
});

const eq = (id: () => string) => `eq.${id()}`;

function attacks(): Attack[] {
	const vera = () => ids.vera;
	return [
		// Reading what is someone else's
		{ name: "another member's record, all of it", as: 'mallory', path: `/member?id=${eq(vera)}&select=*` },
		{ name: 'when a fellow attendee was last seen', as: 'mallory', path: `/member?id=${eq(vera)}&select=last_seen_at,created_at` },
		{ name: "a neighbour's record (not on a board together)", as: 'mallory', path: `/member?id=${eq(() => ids.dirk)}&select=id` },
		{ name: "another member's sign-in e-mail (identity schema)", as: 'mallory', path: `/user?select=*`, headers: { 'accept-profile': 'identity' } },
		{ name: 'sessions (identity schema)', as: 'mallory', path: `/session?select=*`, headers: { 'accept-profile': 'identity' } },
		{ name: 'identity schema as anon', as: 'anon', path: `/user?select=email`, headers: { 'accept-profile': 'identity' } },
		{ name: 'identity schema by content-profile write', as: 'mallory', method: 'POST', path: `/user`, body: { id: crypto.randomUUID(), name: 'x', email: 'x@example.org' }, headers: { 'content-profile': 'identity' } },
		{ name: 'return-link token hashes', as: 'mallory', path: `/member_return_link?select=token_hash` },
		{ name: "others' return links", as: 'mallory', path: `/member_return_link?select=id,member_id,created_at` },
		{ name: 'feed token hashes', as: 'mallory', path: `/calendar_feed_token?select=token_hash` },
		{ name: "others' sealed feed tokens", as: 'mallory', path: `/calendar_feed_token?select=token_sealed,member_id` },
		{ name: 'invite code hashes', as: 'mallory', path: `/invite?select=code_hash,code_sealed` },
		{ name: 'organisation invite hashes', as: 'mallory', path: `/organisation_invite?select=*` },
		{ name: "others' reminders", as: 'mallory', path: `/gathering_reminder?select=*` },
		{ name: "others' notices", as: 'mallory', path: `/notice?select=*` },
		{ name: "others' push subscriptions", as: 'mallory', path: `/push_subscription?select=*` },
		{ name: "a fellow attendee's help request and note", as: 'mallory', path: `/help_request?select=*&member_id=${eq(vera)}` },
		{ name: 'help matches of others', as: 'mallory', path: `/help_match?select=*` },
		{ name: "a giver's contact before the pledge is accepted (as the host)", as: 'hugo', path: `/pledge_contact?select=*` },
		{ name: "a giver's contact through the pledge (as the host)", as: 'hugo', path: `/pledge?select=id,pledge_contact(contact)&id=${eq(() => ids.pledge)}`, allowRows: true },
		{ name: 'pledges of others', as: 'mallory', path: `/pledge?select=*` },
		{ name: "an organisation's contact (not approved anywhere)", as: 'mallory', path: `/organisation_contact?select=*` },
		{ name: "others' feedback", as: 'mallory', path: `/gathering_feedback?select=*` },
		// Embeddings that try to reach forbidden tables through allowed ones
		{ name: 'embedding: gathering → reminders, notices, help', as: 'mallory', path: `/gathering?select=id,gathering_reminder(*),notice(*),help_request(*)&id=${eq(() => ids.gathering)}`, allowRows: true },
		{ name: 'embedding: need → pledges → contacts', as: 'mallory', path: `/need?select=id,pledge(*,pledge_contact(*))&id=${eq(() => ids.need)}`, allowRows: true },
		{ name: 'embedding: neighbourhood → members → links', as: 'mallory', path: `/neighbourhood?select=id,neighbourhood_member(member(*,member_return_link(*),push_subscription(*),calendar_feed_token(*)))&id=${eq(() => ids.home)}`, allowRows: true },
		{ name: 'embedding: activity → invites', as: 'mallory', path: `/activity?select=id,invite(*)&id=${eq(() => ids.activity)}`, allowRows: true },
		{ name: 'embedding: organisation → contacts, invites', as: 'mallory', path: `/organisation?select=id,organisation_contact(*),organisation_invite(*)`, allowRows: true },
		{ name: 'embedding: help_offer → match → request note', as: 'mallory', path: `/help_offer?select=*,help_match(*,help_request(*))`, allowRows: true },
		// Writing as someone else, or above one's station
		{ name: "rename another member", as: 'mallory', method: 'PATCH', path: `/member?id=${eq(vera)}`, body: { display_name: 'Hacked' } },
		{ name: 'make oneself coordinator', as: 'mallory', method: 'PATCH', path: `/neighbourhood_member?member_id=${eq(() => ids.mallory)}`, body: { role: 'coordinator' } },
		{ name: 'join another neighbourhood as coordinator', as: 'mallory', method: 'POST', path: `/neighbourhood_member`, body: { neighbourhood_id: ids.other, member_id: ids.mallory, role: 'coordinator' } },
		{ name: 'add another member to a neighbourhood', as: 'mallory', method: 'POST', path: `/neighbourhood_member`, body: { neighbourhood_id: ids.other, member_id: ids.vera, role: 'member' } },
		{ name: 'make oneself host', as: 'mallory', method: 'POST', path: `/activity_host`, body: { activity_id: ids.activity, member_id: ids.mallory } },
		{ name: 'make oneself host (return=representation)', as: 'mallory', method: 'POST', path: `/activity_host`, body: { activity_id: ids.activity, member_id: ids.mallory }, headers: { prefer: 'return=representation' } },
		{ name: 'remove the host', as: 'mallory', method: 'DELETE', path: `/activity_host?activity_id=${eq(() => ids.activity)}` },
		{ name: 'edit an activity one does not run', as: 'mallory', method: 'PATCH', path: `/activity?id=${eq(() => ids.activity)}`, body: { title: 'Hacked' }, headers: { prefer: 'return=representation' } },
		{ name: 'create an activity in another neighbourhood, hosted by someone else', as: 'mallory', method: 'POST', path: `/activity`, body: { neighbourhood_id: ids.other, title: 'X', kind: 'walk', place_name: 'X', schedule_rrule: 'FREQ=DAILY;COUNT=1', schedule_starts_at: '2030-01-01 10:00', duration_minutes: 60, created_by: ids.vera } },
		{ name: 'cancel a gathering one does not run', as: 'mallory', method: 'PATCH', path: `/gathering?id=${eq(() => ids.gathering)}`, body: { status: 'cancelled' } },
		{ name: 'attend as someone else', as: 'mallory', method: 'POST', path: `/attendance`, body: { gathering_id: ids.gathering, member_id: ids.dirk, status: 'going' } },
		{ name: "change another attendee's answer", as: 'mallory', method: 'PATCH', path: `/attendance?member_id=${eq(vera)}`, body: { status: 'not_going' } },
		{ name: "delete another attendee's answer", as: 'mallory', method: 'DELETE', path: `/attendance?member_id=${eq(vera)}` },
		{ name: 'jump the waitlist (own row, going_since)', as: 'mallory', method: 'PATCH', path: `/attendance?member_id=${eq(() => ids.mallory)}`, body: { going_since: '2000-01-01T00:00:00Z', waitlist_position: 0 } },
		{ name: 'pledge to a slot as someone else', as: 'mallory', method: 'POST', path: `/slot_pledge`, body: { slot_id: ids.slot, member_id: ids.dirk, quantity: 1 } },
		{ name: "take over another's slot pledge", as: 'mallory', method: 'PATCH', path: `/slot_pledge?member_id=${eq(vera)}`, body: { member_id: ids.mallory } },
		{ name: 'ask for help as someone else', as: 'mallory', method: 'POST', path: `/help_request`, body: { gathering_id: ids.gathering, member_id: ids.vera, kind: 'door' } },
		{ name: 'match help directly', as: 'mallory', method: 'POST', path: `/help_match`, body: { request_id: ids.helpRequest, offer_id: crypto.randomUUID() } },
		{ name: 'interest in an idea as someone else', as: 'mallory', method: 'POST', path: `/idea_interest`, body: { idea_id: crypto.randomUUID(), member_id: ids.vera, kind: 'join' } },
		{ name: 'give feedback as someone else', as: 'mallory', method: 'POST', path: `/gathering_feedback`, body: { gathering_id: ids.gathering, member_id: ids.vera, rating: 1 } },
		{ name: 'a reminder for someone else', as: 'mallory', method: 'POST', path: `/gathering_reminder`, body: { gathering_id: ids.gathering, member_id: ids.vera } },
		{ name: "switch off another's reminder", as: 'mallory', method: 'DELETE', path: `/gathering_reminder?member_id=${eq(vera)}` },
		{ name: 'a push subscription for someone else', as: 'mallory', method: 'POST', path: `/push_subscription`, body: { member_id: ids.vera, endpoint: 'https://fcm.googleapis.com/fcm/send/evil', p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) } },
		{ name: "delete another's push subscription", as: 'mallory', method: 'DELETE', path: `/push_subscription?member_id=${eq(vera)}` },
		{ name: 'a return link with a chosen hash', as: 'mallory', method: 'POST', path: `/member_return_link`, body: { member_id: ids.mallory, token_hash: randomBytes(32).toString('hex') } },
		{ name: 'a feed token for someone else', as: 'mallory', method: 'POST', path: `/calendar_feed_token`, body: { member_id: ids.vera, token_hash: randomBytes(32).toString('hex'), token_sealed: 'x' } },
		{ name: "switch off another's return link", as: 'mallory', method: 'PATCH', path: `/member_return_link?member_id=${eq(vera)}`, body: { revoked_at: '2020-01-01T00:00:00Z' } },
		{ name: 'an invite for a neighbourhood one does not coordinate', as: 'mallory', method: 'POST', path: `/invite`, body: { neighbourhood_id: ids.home, code_hash: randomBytes(32).toString('hex'), code_sealed: 'x', created_by: ids.vera } },
		{ name: 'offer as someone else', as: 'mallory', method: 'POST', path: `/offer`, body: { member_id: ids.vera, kind: 'hands', title: 'X' } },
		{ name: "offer for someone else's organisation", as: 'mallory', method: 'POST', path: `/offer`, body: { organisation_id: ids.organisation, kind: 'hands', title: 'X' } },
		{ name: 'join an organisation directly', as: 'mallory', method: 'POST', path: `/organisation_member`, body: { organisation_id: ids.organisation, member_id: ids.mallory } },
		{ name: "edit another's organisation", as: 'mallory', method: 'PATCH', path: `/organisation?id=${eq(() => ids.organisation)}`, body: { name: 'Hacked' } },
		{ name: 'approve an organisation directly', as: 'mallory', method: 'POST', path: `/organisation_neighbourhood`, body: { organisation_id: ids.organisation, neighbourhood_id: ids.home, status: 'approved' } },
		{ name: 'pledge as someone else', as: 'mallory', method: 'POST', path: `/pledge`, body: { need_id: ids.need, member_id: ids.vera, quantity: 1 } },
		{ name: "accept a pledge on a need one does not run", as: 'mallory', method: 'PATCH', path: `/pledge?id=${eq(() => ids.pledge)}`, body: { status: 'accepted' } },
		{ name: "raise a need's pledged count", as: 'mallory', method: 'PATCH', path: `/need?id=${eq(() => ids.need)}`, body: { pledged: 0, quantity: 1 } },
		{ name: "overwrite the giver's contact", as: 'hugo', method: 'PATCH', path: `/pledge_contact?pledge_id=${eq(() => ids.pledge)}`, body: { contact: 'x' } },
		{ name: 'edit a neighbourhood one does not coordinate', as: 'mallory', method: 'PATCH', path: `/neighbourhood?id=${eq(() => ids.home)}`, body: { name: 'Hacked' } },
		{ name: 'delete everything one can see', as: 'mallory', method: 'DELETE', path: `/activity?id=not.is.null` },
		{ name: 'upsert over another member', as: 'mallory', method: 'POST', path: `/member?on_conflict=id`, body: { id: ids.vera, display_name: 'Hacked' }, headers: { prefer: 'resolution=merge-duplicates,return=representation' } },
		// Visitors (anon key) trying member things
		{ name: 'anon: attendance', as: 'anon', path: `/attendance?select=*` },
		{ name: 'anon: members', as: 'anon', path: `/member?select=*` },
		{ name: 'anon: set attendance', as: 'anon', method: 'POST', path: `/rpc/respond`, body: { p_gathering: ids.gathering, p_status: 'going', p_guests: 0 } },
		{ name: 'anon: take a slot', as: 'anon', method: 'POST', path: `/rpc/pledge_to_slot`, body: { p_slot: ids.slot, p_quantity: 1 } },
		{ name: 'anon: propose an idea', as: 'anon', method: 'POST', path: `/idea`, body: { neighbourhood_id: ids.home, title: 'X' } },
		{ name: 'anon: my calendar', as: 'anon', method: 'POST', path: `/rpc/my_calendar`, body: {} },
		// Tokens nobody was given
		{ name: 'service role with a guessed secret', as: 'forgedService', path: `/push_subscription?select=*` },
		{ name: 'unsigned token (alg none)', as: 'noneAlg', path: `/push_subscription?select=*` },
		{ name: 'expired member token', as: 'expired', path: `/attendance?select=*` },
		{ name: 'a database role in the token', as: 'otherRole', path: `/member?select=*` },
		// Functions that are not exposed
		{ name: 'pg_sleep through rpc', as: 'mallory', method: 'POST', path: `/rpc/pg_sleep`, body: { seconds: 5 } },
		{ name: 'set_config through rpc', as: 'mallory', method: 'POST', path: `/rpc/set_config`, body: { setting_name: 'role', new_value: 'service_role', is_local: false } }
	];
}

describe('a member attacking the Data API directly', () => {
	it('is refused every time, and nothing changes', async () => {
		const before = await digest();
		for (const attack of attacks()) await attempt(attack);
		expect(await digest()).toEqual(before);
		const holes = results.filter((r) => !r.refused);
		expect(holes.map((h) => `${h.name}: ${h.why}`)).toEqual([]);
	});

	it('cannot call any function only the service role may call', async () => {
		// Found in the catalogue, so a new service-only function is attacked the day it is added.
		const { rows } = await adminDb().query<{ name: string; args: string[] | null }>(
			`select p.proname as name, p.proargnames as args from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			 where n.nspname = 'public' and has_function_privilege('service_role', p.oid, 'execute')
			   and not has_function_privilege('authenticated', p.oid, 'execute') and p.prokind = 'f'`
		);
		expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['join_with_invite', 'export_member_participation']));
		const before = await digest();
		for (const fn of rows) {
			// Plausible arguments: the attacker's victim where an id goes.
			const body = Object.fromEntries((fn.args ?? []).filter((a) => a.startsWith('p_')).map((a) => [a, /member|id$/.test(a) ? ids.vera : 'x']));
			for (const as of ['mallory', 'anon'] as const) {
				await attempt({ name: `rpc ${fn.name} as ${as}`, as, method: 'POST', path: `/rpc/${fn.name}`, body });
			}
		}
		expect(await digest()).toEqual(before);
		expect(results.filter((r) => r.name.startsWith('rpc ') && !r.refused).map((r) => `${r.name}: ${r.why}`)).toEqual([]);
	});

	it('the host sees the contact only once the pledge is accepted (the refusal above is not blanket)', async () => {
		await adminDb().query(`update pledge set status = 'accepted' where id = $1`, [ids.pledge]);
		const response = await fetch(`${rest}/pledge_contact?select=contact&pledge_id=${eq(() => ids.pledge)}`, {
			headers: { apikey: anonKey, authorization: `Bearer ${tokens.hugo}` }
		});
		expect(await response.json()).toEqual([{ contact: SECRET.contact }]);
		await adminDb().query(`update pledge set status = 'offered' where id = $1`, [ids.pledge]);
	});
});
