import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { runningEmbeddedPostgres } from '../../src/lib/server/stack/backup.ts';

/**
 * The bench server's own embedded PostgreSQL, found through its data folder: the generated
 * secrets, and the port its postmaster.pid names.
 */
export async function benchDatabase(dataDir: string): Promise<{ secrets: { postgresPassword: string; dataApiSigningKey: string }; connection: pg.ClientConfig }> {
	const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8'));
	const running = await runningEmbeddedPostgres(dataDir);
	if (!running) throw new Error(`no PostgreSQL running on ${dataDir}`);
	const { port } = running;
	return { secrets, connection: { host: '127.0.0.1', port, user: 'postgres', password: secrets.postgresPassword, database: 'buurtbord' } };
}

/** The next demo dinner's board: any board will do for page and socket figures. */
export async function nextDemoDinner(dataDir: string): Promise<string> {
	const db = new pg.Client((await benchDatabase(dataDir)).connection);
	await db.connect();
	try {
		const { rows } = await db.query<{ id: string }>(
			`select g.id from gathering g join activity a on a.id = g.activity_id where a.title = 'Dinsdagdiner' and g.starts_at > now() order by g.starts_at limit 1`
		);
		return rows[0]!.id;
	} finally {
		await db.end();
	}
}

/**
 * Fan-out is dated by PostgreSQL's commit time, which it records only with
 * track_commit_timestamp on — a setting that needs a restart; so the bench server is restarted
 * here, and the new one returned.
 */
export async function withCommitTimestamps<S extends { stop(): Promise<unknown> }>(dataDir: string, server: S, start: () => Promise<S>): Promise<S> {
	const admin = new pg.Client((await benchDatabase(dataDir)).connection);
	await admin.connect();
	await admin.query('alter system set track_commit_timestamp = on');
	await admin.end();
	await server.stop();
	return start();
}

/**
 * An open-ended themed evening in the demo neighbourhood, run by one of its hosts: boards for
 * load figures hang from its extra dates (extra dates, so refreshing the series never takes
 * them away mid-run).
 */
export async function benchActivity(db: pg.Pool | pg.Client, title: string): Promise<{ activityId: string; neighbourhoodId: string }> {
	const { rows: place } = await db.query<{ neighbourhood: string; host: string }>(
		`select n.id as neighbourhood, nm.member_id as host from neighbourhood n join neighbourhood_member nm on nm.neighbourhood_id = n.id
		 where n.slug = 'de-linde' order by nm.role desc limit 1`
	);
	const { rows } = await db.query<{ id: string }>(
		`insert into activity (neighbourhood_id, title, kind, place_name, schedule_rrule, schedule_starts_at, duration_minutes, capacity, created_by)
		 values ($1, $2, 'themed_evening', 'Plein', 'FREQ=WEEKLY;BYDAY=SA', now() + interval '3 days', 180, null, $3) returning id`,
		[place[0]!.neighbourhood, title, place[0]!.host]
	);
	return { activityId: rows[0]!.id, neighbourhoodId: place[0]!.neighbourhood };
}
