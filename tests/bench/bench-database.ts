import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';

/**
 * The bench server's own embedded PostgreSQL, found through its data folder: the generated
 * secrets, and the port on the fourth line of postmaster.pid.
 */
export async function benchDatabase(dataDir: string): Promise<{ secrets: { postgresPassword: string; jwtSecret: string }; connection: pg.ClientConfig }> {
	const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8'));
	const port = Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[3]);
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
