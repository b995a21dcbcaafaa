import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * Arranging test data goes straight to PostgreSQL as the owner; what is being tested always
 * goes through supabase-js and PostgREST as a person.
 */
let pool: pg.Pool | undefined;
export function adminDb(): pg.Pool {
	pool ??= new pg.Pool({ connectionString: inject('stackEnv').DATABASE_URL, max: 3, allowExitOnIdle: true });
	return pool;
}

/** One connection to `url` for `work`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

export async function closeAdminDb() {
	await pool?.end();
	pool = undefined;
}

export async function createNeighbourhood(name = 'Testbuurt') {
	const slug = `test-${randomUUID().slice(0, 8)}`;
	const { rows } = await adminDb().query<{ id: string }>(
		'insert into neighbourhood (slug, name) values ($1, $2) returning id',
		[slug, name]
	);
	return { id: rows[0]!.id, slug, name };
}

export async function createMember(displayName: string, neighbourhoodId?: string, role: 'member' | 'coordinator' = 'member') {
	const { rows } = await adminDb().query<{ id: string }>(
		'insert into member (display_name) values ($1) returning id',
		[displayName]
	);
	const id = rows[0]!.id;
	if (neighbourhoodId) {
		await adminDb().query('insert into neighbourhood_member (neighbourhood_id, member_id, role) values ($1, $2, $3)', [
			neighbourhoodId,
			id,
			role
		]);
	}
	return id;
}

export async function createActivityWithGatherings(
	neighbourhoodId: string,
	hostId: string,
	gatheringStarts: string[],
	title = 'Dinsdagdiner'
) {
	const { rows } = await adminDb().query<{ id: string }>(
		`insert into activity (neighbourhood_id, title, kind, place_name, schedule_rrule, schedule_starts_at, duration_minutes, capacity, created_by)
		 values ($1, $2, 'shared_dinner', 'Buurthuis', 'FREQ=WEEKLY;BYDAY=TU', '2026-11-24 18:00', 150, 12, $3) returning id`,
		[neighbourhoodId, title, hostId]
	);
	const activityId = rows[0]!.id;
	for (const start of gatheringStarts) {
		await adminDb().query(
			`insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at)
			 values ($1, $2, $2, $2::timestamptz + interval '150 minutes')`,
			[activityId, start]
		);
	}
	return activityId;
}

/** A sign-in record as better-auth makes it (guest unless an e-mail is confirmed). */
export async function createSignIn(memberId: string, email?: string) {
	await adminDb().query(
		`insert into identity."user" (id, name, email, "emailVerified", "isAnonymous") values ($1, '', $2, $3, $4)`,
		[memberId, email ?? `temp-${memberId}@guest.buurtbord.invalid`, Boolean(email), !email]
	);
}

export async function createInviteRow(neighbourhoodId: string, options: { activityId?: string; revoked?: boolean } = {}) {
	const code = randomUUID();
	const { createHash } = await import('node:crypto');
	const hash = createHash('sha256').update(code).digest('hex');
	const { rows } = await adminDb().query<{ id: string }>(
		`insert into invite (neighbourhood_id, activity_id, code_hash, code_sealed, revoked_at)
		 values ($1, $2, $3, 'sealed', $4) returning id`,
		[neighbourhoodId, options.activityId ?? null, hash, options.revoked ? new Date() : null]
	);
	return { id: rows[0]!.id, hash };
}
