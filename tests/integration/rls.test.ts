import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient } from '@supabase/supabase-js';
import { signDataApiToken } from '../../src/lib/server/auth/tokens.ts';
import { generateSigningKey } from '../../src/lib/server/auth/signing-key.ts';
import { anonDataClient, memberDataClient, serviceDataClient } from '../../src/lib/server/db/client.ts';
import { findOwnMember, updateOwnMember } from '../../src/lib/account/member-queries.server.ts';
import {
	adminDb,
	closeAdminDb,
	createActivityWithGatherings,
	createMember,
	createNeighbourhood
} from './fixtures.ts';

/**
 * Row-level security, tried through supabase-js and PostgREST as each role:
 * every read or write that must fail, fails, and the database is unchanged.
 */
let home: { id: string };
let elsewhere: { id: string };
let ayla: string;
let bram: string;
let activityId: string;
let gatheringId: string;

const PERMISSION_DENIED = '42501';

beforeAll(async () => {
	home = await createNeighbourhood('Thuisbuurt');
	elsewhere = await createNeighbourhood('Andere buurt');
	ayla = await createMember('Ayla', home.id);
	bram = await createMember('Bram', home.id);
	activityId = await createActivityWithGatherings(home.id, ayla, ['2030-01-08T17:00:00Z']);
	const { rows } = await adminDb().query<{ id: string }>('select id from gathering where activity_id = $1', [activityId]);
	gatheringId = rows[0]!.id;
});
afterAll(closeAdminDb);

describe('a visitor (anon)', () => {
	it('reads the public agenda', async () => {
		const { data, error } = await anonDataClient().from('gathering').select('id').eq('id', gatheringId);
		expect(error).toBeNull();
		expect(data).toEqual([{ id: gatheringId }]);
	});

	it('cannot write anything', async () => {
		const db = anonDataClient();
		const insert = await db.from('neighbourhood').insert({ slug: 'sneaky', name: 'Sneaky' });
		expect(insert.error?.code).toBe(PERMISSION_DENIED);
		const update = await db.from('gathering').update({ status: 'cancelled' }).eq('id', gatheringId);
		expect(update.error?.code).toBe(PERMISSION_DENIED);
		const remove = await db.from('activity').delete().eq('id', activityId);
		expect(remove.error?.code).toBe(PERMISSION_DENIED);

		const { rows } = await adminDb().query(
			`select (select count(*)::int from neighbourhood where slug = 'sneaky') as sneaky,
			        (select status from gathering where id = $1) as status,
			        (select count(*)::int from activity where id = $2) as activities`,
			[gatheringId, activityId]
		);
		expect(rows[0]).toEqual({ sneaky: 0, status: 'scheduled', activities: 1 });
	});

	it('never sees members', async () => {
		const { error } = await anonDataClient().from('member').select('display_name');
		expect(error?.code).toBe(PERMISSION_DENIED);
	});
});

describe('a member (authenticated)', () => {
	it('sees only their own member record', async () => {
		const db = await memberDataClient(ayla);
		const { data, error } = await db.from('member').select('id, display_name');
		expect(error).toBeNull();
		expect(data).toEqual([{ id: ayla, display_name: 'Ayla' }]);
		expect(await findOwnMember(db, bram)).toBeNull();
	});

	it('changes their own name, and nobody else’s', async () => {
		const db = await memberDataClient(ayla);
		expect(await updateOwnMember(db, ayla, { display_name: 'Ayla K.' })).toMatchObject({ display_name: 'Ayla K.' });
		expect(await updateOwnMember(db, bram, { display_name: 'Hacked' })).toBeNull();

		const { rows } = await adminDb().query('select id, display_name from member where id = any($1) order by display_name', [
			[ayla, bram]
		]);
		expect(rows).toEqual([
			{ id: ayla, display_name: 'Ayla K.' },
			{ id: bram, display_name: 'Bram' }
		]);
	});

	it('cannot change columns that are not theirs to change', async () => {
		const db = await memberDataClient(ayla);
		const { error } = await db.from('member').update({ created_at: '2000-01-01T00:00:00Z' }).eq('id', ayla);
		expect(error?.code).toBe(PERMISSION_DENIED);
	});

	it('starts an activity in their own neighbourhood and hosts it, but not elsewhere', async () => {
		const db = await memberDataClient(bram);
		const activity = {
			title: 'Koffieochtend',
			kind: 'coffee_morning',
			schedule_rrule: 'FREQ=WEEKLY;BYDAY=TH',
			schedule_starts_at: '2030-01-10T10:00:00',
			duration_minutes: 90,
			created_by: bram
		};
		const own = await db.from('activity').insert({ ...activity, neighbourhood_id: home.id }).select('id').single();
		expect(own.error).toBeNull();
		const hosts = await db.from('activity_host').select('member_id').eq('activity_id', own.data!.id);
		expect(hosts.data).toEqual([{ member_id: bram }]);

		const foreign = await db.from('activity').insert({ ...activity, neighbourhood_id: elsewhere.id });
		expect(foreign.error?.code).toBe(PERMISSION_DENIED);
		const impersonated = await db.from('activity').insert({ ...activity, neighbourhood_id: home.id, created_by: ayla });
		expect(impersonated.error?.code).toBe(PERMISSION_DENIED);

		const { rows } = await adminDb().query<{ n: number }>(
			`select count(*)::int as n from activity where title = 'Koffieochtend'`
		);
		expect(rows[0]!.n).toBe(1);
	});

	it('cancels a gathering they host; a member who does not host it cannot', async () => {
		const notHost = await memberDataClient(bram);
		const refused = await notHost.from('gathering').update({ status: 'cancelled' }).eq('id', gatheringId).select('id');
		expect(refused.data).toEqual([]);
		expect((await adminDb().query('select status from gathering where id = $1', [gatheringId])).rows[0].status).toBe(
			'scheduled'
		);

		const host = await memberDataClient(ayla);
		const done = await host
			.from('gathering')
			.update({ status: 'cancelled', cancellation_reason: 'Ziek' })
			.eq('id', gatheringId)
			.select('status, sequence');
		expect(done.error).toBeNull();
		// A calendar feed must see the change: SEQUENCE went up.
		expect(done.data).toEqual([{ status: 'cancelled', sequence: 1 }]);
	});
});

describe('tokens', () => {
	const { SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY, DATA_API_SIGNING_KEY, SUPABASE_JWT_SECRET } = inject('stackEnv');
	// What signs members' tokens here: the app's key (embedded) or a legacy secret (an older Supabase project).
	const signer = DATA_API_SIGNING_KEY ?? SUPABASE_JWT_SECRET!;
	const clientWith = (token: string) =>
		createClient(SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY, {
			auth: { persistSession: false, autoRefreshToken: false },
			global: { headers: { Authorization: `Bearer ${token}` } }
		});

	it('an expired member token is refused', async () => {
		const expired = await signDataApiToken(signer, { role: 'authenticated', sub: ayla }, -60);
		const { error, status } = await clientWith(expired).from('member').select('id');
		expect(status).toBe(401);
		expect(error?.message).toMatch(/expired/i);
	});

	it('a token signed with another key or secret is refused', async () => {
		const otherSigner = DATA_API_SIGNING_KEY ? await generateSigningKey() : `${signer}-forged`;
		const forged = await signDataApiToken(otherSigner, { role: 'service_role' }, 60);
		const { status, data } = await clientWith(forged).from('member').select('id');
		expect(status).toBe(401);
		expect(data).toBeNull();
	});

	it('only the server’s service role reads across members', async () => {
		const { data, error } = await serviceDataClient().from('member').select('id').in('id', [ayla, bram]);
		expect(error).toBeNull();
		expect(data).toHaveLength(2);
	});
});
