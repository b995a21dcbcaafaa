import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberDataClient, serviceDataClient } from '../../src/lib/server/db/client.ts';
import { joinOpenly, joinWithInvite, listOwnMemberships } from '../../src/lib/account/member-queries.server.ts';
import { setJoiningOpen } from '../../src/lib/joining/invites.server.ts';
import { joinWhereYouAre } from '../../src/lib/joining/joining.server.ts';
import { limits } from '../../src/lib/server/rate-limit.ts';
import { adminDb, closeAdminDb, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Joining from a public page without a code (join_openly): open unless a coordinator closes it,
 * closed for good between the check and the join, and as limited per address as invite codes.
 */
let home: { id: string; slug: string };
let coordinator: string;
let resident: string;

beforeAll(async () => {
	home = await createNeighbourhood('Openbuurt');
	coordinator = await createMember('Corrie', home.id, 'coordinator');
	resident = await createMember('Ruud', home.id);
});
afterAll(closeAdminDb);

async function isMember(memberId: string) {
	const { rows } = await adminDb().query('select 1 from neighbourhood_member where neighbourhood_id = $1 and member_id = $2', [home.id, memberId]);
	return rows.length === 1;
}

describe('joining where you are', () => {
	it('makes a member of an open neighbourhood with their first name, once', async () => {
		const id = randomUUID();
		const first = await joinOpenly(serviceDataClient(), { neighbourhoodId: home.id, memberId: id, displayName: '  Noor ', locale: 'en' });
		expect(first).toEqual({ neighbourhood_id: home.id, joined_now: true });
		expect(await joinOpenly(serviceDataClient(), { neighbourhoodId: home.id, memberId: id, displayName: 'Noor', locale: 'en' })).toEqual({
			neighbourhood_id: home.id,
			joined_now: false
		});
		const { rows } = await adminDb().query('select display_name, locale from member where id = $1', [id]);
		expect(rows[0]).toEqual({ display_name: 'Noor', locale: 'en' });
		expect((await listOwnMemberships(await memberDataClient(id), id)).map((m) => m.neighbourhood_id)).toEqual([home.id]);
	});

	it('may be closed and opened again by a coordinator only; closed, it takes codes only', async () => {
		expect(await setJoiningOpen(await memberDataClient(resident), home.id, false)).toBe(false);
		expect(await setJoiningOpen(await memberDataClient(coordinator), home.id, false)).toBe(true);
		const id = randomUUID();
		expect(await joinOpenly(serviceDataClient(), { neighbourhoodId: home.id, memberId: id, displayName: 'Sem', locale: 'nl' })).toBeNull();
		expect(await isMember(id)).toBe(false);
		const { rows } = await adminDb().query('select 1 from member where id = $1', [id]);
		expect(rows).toEqual([]);
		// The app checks before it makes anyone: nobody is created for a closed neighbourhood.
		const before = await adminDb().query<{ n: number }>('select count(*)::int as n from member');
		await expect(
			joinWhereYouAre({ neighbourhoodId: home.id, displayName: 'Sem', locale: 'nl', memberId: null, clientAddress: randomUUID(), headers: new Headers() })
		).rejects.toMatchObject({ reason: 'closed' });
		expect((await adminDb().query<{ n: number }>('select count(*)::int as n from member')).rows[0]!.n).toBe(before.rows[0]!.n);
		expect(await setJoiningOpen(await memberDataClient(coordinator), home.id, true)).toBe(true);
	});

	it('joins someone who is signed in already without asking their name again, by page or by code', async () => {
		const elsewhere = await createNeighbourhood('Elders');
		expect(await joinOpenly(serviceDataClient(), { neighbourhoodId: elsewhere.id, memberId: resident, displayName: '', locale: 'nl' })).toEqual({
			neighbourhood_id: elsewhere.id,
			joined_now: true
		});
		const third = await createNeighbourhood('Derde');
		const code = randomUUID().replaceAll('-', '').padEnd(64, '0');
		await adminDb().query(`insert into invite (neighbourhood_id, code_hash, code_sealed) values ($1, $2, 'sealed')`, [third.id, code]);
		expect(await joinWithInvite(serviceDataClient(), { codeHash: code, memberId: resident, displayName: '', locale: 'nl' })).toMatchObject({ joined_now: true });
		const { rows } = await adminDb().query('select display_name from member where id = $1', [resident]);
		expect(rows[0]).toEqual({ display_name: 'Ruud' });
	});

	it('is refused to a visitor through the Data API: only the server joins people', async () => {
		const { error } = await (await memberDataClient(resident)).rpc('join_openly', {
			p_neighbourhood: home.id,
			p_member_id: randomUUID(),
			p_display_name: 'X',
			p_locale: 'nl'
		});
		expect(error?.code).toBe('42501');
	});

	it('counts attempts per address like invite codes do', async () => {
		const address = `203.0.113.7-${randomUUID()}`;
		const other = await createNeighbourhood('Limietbuurt');
		await adminDb().query('update neighbourhood set open_for_joining = false where id = $1', [other.id]);
		// A closed neighbourhood still counts the attempt (the limit comes first), so no guest is made.
		for (let i = 0; i < limits.joinPerIp.points; i++) {
			await expect(
				joinWhereYouAre({ neighbourhoodId: other.id, displayName: 'Bot', locale: 'nl', memberId: null, clientAddress: address, headers: new Headers() })
			).rejects.toMatchObject({ reason: 'closed' });
		}
		await expect(
			joinWhereYouAre({ neighbourhoodId: other.id, displayName: 'Bot', locale: 'nl', memberId: null, clientAddress: address, headers: new Headers() })
		).rejects.toMatchObject({ reason: 'rate_limited' });
	});
});
