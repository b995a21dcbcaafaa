import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonDataClient, memberDataClient, serviceDataClient } from '../../src/lib/server/db/client.ts';
import { hashSecret, seal } from '../../src/lib/server/auth/sealing.ts';
import { findInviteByHash, insertInvite, listManagedInvites, revokeInvite } from '../../src/lib/joining/invite-queries.server.ts';
import { createInvite, inviteQrSvg, invitesOverview, posterFor } from '../../src/lib/joining/invites.server.ts';
import {
	exportMember,
	forgetInactiveGuests,
	forgetMember,
	joinWithInvite,
	leaveNeighbourhood
} from '../../src/lib/account/member-queries.server.ts';
import { createReturnLink, findActiveReturnLink, revokeReturnLinks, useReturnLink } from '../../src/lib/account/return-link-queries.server.ts';
import {
	adminDb,
	closeAdminDb,
	createActivityWithGatherings,
	createInviteRow,
	createMember,
	createNeighbourhood,
	createSignIn
} from './fixtures.ts';

const PERMISSION_DENIED = '42501';
const hex = () => randomUUID().replaceAll('-', '').padEnd(64, '0');

let home: { id: string };
let coordinator: string;
let host: string;
let resident: string;
let activityId: string;

beforeAll(async () => {
	home = await createNeighbourhood('Joinbuurt');
	coordinator = await createMember('Carla', home.id, 'coordinator');
	host = await createMember('Hamid', home.id);
	resident = await createMember('Rosa', home.id);
	activityId = await createActivityWithGatherings(home.id, host, ['2030-05-07T17:00:00Z']);
});
afterAll(closeAdminDb);

describe('joining through an invite (join_with_invite)', () => {
	it('creates the guest member, adds the membership and counts the use', async () => {
		const invite = await createInviteRow(home.id);
		const guest = randomUUID();
		await createSignIn(guest);
		const joined = await joinWithInvite(serviceDataClient(), { codeHash: invite.hash, memberId: guest, displayName: ' Noor ', locale: 'en' });
		expect(joined).toEqual({ neighbourhood_id: home.id, activity_id: null, joined_now: true });
		const { rows } = await adminDb().query(
			`select m.display_name, m.locale, nm.role, i.use_count from member m
			 join neighbourhood_member nm on nm.member_id = m.id join invite i on i.id = $2 where m.id = $1`,
			[guest, invite.id]
		);
		expect(rows).toEqual([{ display_name: 'Noor', locale: 'en', role: 'member', use_count: 1 }]);
	});

	it('refuses a revoked invite and changes nothing', async () => {
		const invite = await createInviteRow(home.id, { revoked: true });
		const guest = randomUUID();
		expect(await joinWithInvite(serviceDataClient(), { codeHash: invite.hash, memberId: guest, displayName: 'X', locale: 'nl' })).toBeNull();
		expect((await adminDb().query('select 1 from member where id = $1', [guest])).rowCount).toBe(0);
		expect((await adminDb().query('select use_count from invite where id = $1', [invite.id])).rows[0].use_count).toBe(0);
	});

	it('counts every one of many simultaneous joins exactly once', async () => {
		const invite = await createInviteRow(home.id);
		const guests = Array.from({ length: 25 }, () => randomUUID());
		const results = await Promise.all(
			guests.map((id, i) =>
				joinWithInvite(serviceDataClient(), { codeHash: invite.hash, memberId: id, displayName: `Buur ${i}`, locale: 'nl' })
			)
		);
		expect(results.every((r) => r?.joined_now)).toBe(true);
		const { rows } = await adminDb().query(
			`select (select use_count from invite where id = $1) as uses,
			        (select count(*)::int from neighbourhood_member where member_id = any($2)) as members`,
			[invite.id, guests]
		);
		expect(rows[0]).toEqual({ uses: 25, members: 25 });
	});

	it('can only be called by the server, not by a visitor or a member', async () => {
		const invite = await createInviteRow(home.id);
		const args = { p_code_hash: invite.hash, p_member_id: resident, p_display_name: 'x', p_locale: 'nl' };
		expect((await anonDataClient().rpc('join_with_invite', args)).error?.code).toBe(PERMISSION_DENIED);
		expect((await (await memberDataClient(resident)).rpc('join_with_invite', args)).error?.code).toBe(PERMISSION_DENIED);
	});
});

describe('invites and row-level security', () => {
	it('a visitor learns where a code leads only from its exact hash, and cannot list invites', async () => {
		const invite = await createInviteRow(home.id, { activityId });
		expect(await findInviteByHash(anonDataClient(), invite.hash)).toEqual({
			invite_id: invite.id,
			neighbourhood_id: home.id,
			activity_id: activityId,
			status: 'valid'
		});
		expect(await findInviteByHash(anonDataClient(), hex())).toBeNull();
		expect((await anonDataClient().from('invite').select('id')).error?.code).toBe(PERMISSION_DENIED);
	});

	const newInvite = (memberId: string, activity: string | null) => ({
		neighbourhood_id: home.id,
		activity_id: activity,
		code_hash: hex(),
		code_sealed: 'sealed',
		label: 'test',
		created_by: memberId,
		expires_at: null
	});

	it('a coordinator invites to the neighbourhood; a resident cannot', async () => {
		expect(await insertInvite(await memberDataClient(coordinator), newInvite(coordinator, null))).toMatch(/^[0-9a-f-]{36}$/);
		await expect(insertInvite(await memberDataClient(resident), newInvite(resident, null))).rejects.toMatchObject({
			code: PERMISSION_DENIED
		});
	});

	it('a host invites to their activity, not to the whole neighbourhood', async () => {
		const db = await memberDataClient(host);
		const id = await insertInvite(db, newInvite(host, activityId));
		await expect(insertInvite(db, newInvite(host, null))).rejects.toMatchObject({ code: PERMISSION_DENIED });
		expect((await listManagedInvites(db)).map((i) => i.id)).toContain(id);
		// A resident sees none of them, and cannot switch them off.
		const residentDb = await memberDataClient(resident);
		expect(await listManagedInvites(residentDb)).toEqual([]);
		expect(await revokeInvite(residentDb, id)).toBe(false);
		expect(await revokeInvite(db, id)).toBe(true);
	});
});

describe('invites after the server secret changed', () => {
	it('still list, and still let people join, but no longer show their code, poster or QR code', async () => {
		const origin = 'http://localhost';
		const db = await memberDataClient(coordinator);
		const created = await createInvite(db, coordinator, { neighbourhoodId: home.id, activityId: null, label: 'poster bieb', validDays: null });
		if (!created.ok) throw new Error(created.reason);
		const shown = (await invitesOverview(db, coordinator, origin)).invites.find((i) => i.id === created.id)!;
		expect(shown.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
		expect(await posterFor(db, created.id, origin)).toMatchObject({ invite: { code: shown.code } });
		const code = shown.code!.replace('-', '');

		// Sealed with a secret the server no longer has (AUTH_SECRET was changed since).
		const sealedBefore = await seal('a-secret-from-before-it-was-changed-0123456789', code);
		await adminDb().query('update invite set code_sealed = $1 where id = $2', [sealedBefore, created.id]);
		const after = (await invitesOverview(db, coordinator, origin)).invites.find((i) => i.id === created.id)!;
		expect(after).toMatchObject({ code: null, url: null, label: 'poster bieb', status: 'valid' });
		expect(await posterFor(db, created.id, origin)).toBe('unreadable');
		expect(await inviteQrSvg(db, created.id, origin)).toBe('unreadable');
		// Joining looks the code up by its hash: it still works.
		const guest = randomUUID();
		await createSignIn(guest);
		expect(await joinWithInvite(serviceDataClient(), { codeHash: hashSecret(code), memberId: guest, displayName: 'Nieuw', locale: 'nl' })).toEqual({
			neighbourhood_id: home.id,
			activity_id: null,
			joined_now: true
		});
	});
});

describe('who sees whom', () => {
	it('a coordinator sees the members of their neighbourhood; a resident only themselves', async () => {
		const asCoordinator = await (await memberDataClient(coordinator)).from('member').select('display_name').in('id', [host, resident]);
		expect(asCoordinator.data?.map((r) => r.display_name).sort()).toEqual(['Hamid', 'Rosa']);
		const asResident = await (await memberDataClient(resident)).from('member').select('display_name').in('id', [host, coordinator]);
		expect(asResident.data).toEqual([]);
	});

	it('anyone may see hosts’ display names, and nothing else about them', async () => {
		const { data, error } = await anonDataClient().rpc('activity_host_names', { p_activity_id: activityId });
		expect(error).toBeNull();
		expect(data).toEqual([{ member_id: host, display_name: 'Hamid' }]);
	});

	it('sign-in records (e-mail, sessions) are not served by the Data API at all', async () => {
		const { error } = await (await memberDataClient(resident)).schema('identity').from('user').select('email');
		expect(error).not.toBeNull();
	});
});

describe('return links', () => {
	it('work until replaced or switched off; the token itself is never readable', async () => {
		const member = await createMember('Tessa', home.id);
		const first = hex();
		await createReturnLink(serviceDataClient(), member, first);
		expect(await useReturnLink(serviceDataClient(), first)).toBe(member);

		const second = hex();
		await createReturnLink(serviceDataClient(), member, second);
		expect(await useReturnLink(serviceDataClient(), first)).toBeNull();
		expect(await useReturnLink(serviceDataClient(), second)).toBe(member);

		const db = await memberDataClient(member);
		expect(await findActiveReturnLink(db, member)).toMatchObject({ last_used_at: expect.any(String) });
		expect((await db.from('member_return_link').select('token_hash')).error?.code).toBe(PERMISSION_DENIED);
		expect(await revokeReturnLinks(await memberDataClient(resident), member)).toBe(0);
		expect(await revokeReturnLinks(db, member)).toBe(1);
		expect(await useReturnLink(serviceDataClient(), second)).toBeNull();
	});

	it('cannot be used or made by a member directly', async () => {
		const db = await memberDataClient(resident);
		expect((await db.rpc('use_return_link', { p_token_hash: hex() })).error?.code).toBe(PERMISSION_DENIED);
		expect((await db.rpc('create_return_link', { p_member_id: resident, p_token_hash: hex() })).error?.code).toBe(PERMISSION_DENIED);
	});
});

describe('your own data', () => {
	it('a member leaves a neighbourhood, but cannot remove someone else', async () => {
		const member = await createMember('Lotte', home.id);
		expect(await leaveNeighbourhood(await memberDataClient(resident), member, home.id)).toBe(false);
		expect(await leaveNeighbourhood(await memberDataClient(member), member, home.id)).toBe(true);
		expect((await adminDb().query('select 1 from neighbourhood_member where member_id = $1', [member])).rowCount).toBe(0);
	});

	it('export holds what is stored about the member, without guest placeholders', async () => {
		const member = await createMember('Sem', home.id);
		await createSignIn(member);
		const data = (await exportMember(serviceDataClient(), member)) as Record<string, any>;
		expect(data.member.display_name).toBe('Sem');
		expect(data.neighbourhoods).toEqual([expect.objectContaining({ neighbourhood: 'Joinbuurt', role: 'member' })]);
		expect(data.sign_in.email).toBeNull();
	});

	it('deleting an account removes personal data, pauses what only they hosted, keeps the activity', async () => {
		const leaver = await createMember('Vera', home.id);
		await createSignIn(leaver, `vera-${randomUUID()}@example.org`);
		const soloActivity = await createActivityWithGatherings(home.id, leaver, ['2030-06-04T17:00:00Z'], 'Vera’s walk');
		await forgetMember(serviceDataClient(), leaver);
		const { rows } = await adminDb().query(
			`select (select count(*)::int from member where id = $1) as member,
			        (select count(*)::int from identity."user" where id = $1) as sign_in,
			        (select count(*)::int from neighbourhood_member where member_id = $1) as memberships,
			        (select status::text from activity where id = $2) as activity,
			        (select count(*)::int from gathering where activity_id = $2) as gatherings`,
			[leaver, soloActivity]
		);
		expect(rows[0]).toEqual({ member: 0, sign_in: 0, memberships: 0, activity: 'paused', gatherings: 1 });
	});

	it('guests not seen for long are forgotten; recent guests and confirmed e-mails stay', async () => {
		const [oldGuest, recentGuest, oldWithEmail] = [randomUUID(), randomUUID(), randomUUID()];
		for (const id of [oldGuest, recentGuest, oldWithEmail]) {
			await adminDb().query(`insert into member (id, display_name) values ($1, 'G')`, [id]);
		}
		await createSignIn(oldGuest);
		await createSignIn(recentGuest);
		await createSignIn(oldWithEmail, `old-${randomUUID()}@example.org`);
		await adminDb().query(`update member set last_seen_at = now() - interval '400 days' where id = any($1)`, [[oldGuest, oldWithEmail]]);

		expect(await forgetInactiveGuests(serviceDataClient(), new Date(Date.now() - 180 * 86_400_000))).toBe(1);
		const { rows } = await adminDb().query('select id from member where id = any($1)', [[oldGuest, recentGuest, oldWithEmail]]);
		expect(rows.map((r) => r.id).sort()).toEqual([recentGuest, oldWithEmail].sort());
	});
});
