import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupEmbeddedDatabase, restoreEmbeddedDatabase } from '../../src/lib/server/stack/backup.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/lib/server/stack/embedded-postgres.ts';
import { migrate } from '../../src/lib/server/stack/migrate.ts';
import { loadOrCreateSecrets } from '../../src/lib/server/stack/secrets.ts';

/**
 * npm run backup / restore, round trip on a real embedded database with the demo data: a
 * backup taken while someone keeps writing restores to a consistent state, and every table
 * comes back exactly as it was.
 */
let dataDir: string;
let postgres: RunningPostgres | undefined;
let password: string;

const start = async () => (postgres = await startEmbeddedPostgres(dataDir, password));
const stop = async () => {
	await postgres?.stop();
	postgres = undefined;
};

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: postgres!.databaseUrl });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** One digest per table of the app's schemas: equal digests, equal rows. */
async function digests(client: pg.Client): Promise<Record<string, string>> {
	const { rows: tables } = await client.query<{ name: string }>(
		`select format('%I.%I', schemaname, tablename) as name from pg_tables
		 where schemaname in ('public', 'identity', 'supabase_migrations') and tablename <> 'backup_probe' order by 1`
	);
	const result: Record<string, string> = {};
	for (const { name } of tables) {
		const { rows } = await client.query<{ digest: string; count: number }>(
			`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest, count(*)::int as count from ${name} t`
		);
		result[name] = `${rows[0]!.count}:${rows[0]!.digest}`;
	}
	return result;
}

beforeAll(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-backup-it-'));
	password = (await loadOrCreateSecrets(dataDir)).postgresPassword;
	await start();
	await migrate(postgres!.databaseUrl, { supabaseDir: resolve('supabase'), seed: true });
}, 120_000);

afterAll(async () => {
	await stop();
	await rm(dataDir, { recursive: true, force: true });
});

describe('backup and restore of the embedded database', () => {
	it('brings back every row, and a backup taken during writes is a consistent moment', async () => {
		const atBackup = await withClient(async (client) => {
			await client.query('create table public.backup_probe (n int primary key)');
			return digests(client);
		});
		expect(Object.keys(atBackup).length).toBeGreaterThan(20);
		expect(Number(atBackup['public.neighbourhood']!.split(':')[0])).toBeGreaterThan(0);

		// Someone keeps signing up while the backup runs: numbered rows, one commit each.
		let writing = true;
		let committed = 0;
		const writer = withClient(async (client) => {
			while (writing) {
				await client.query('insert into public.backup_probe values ($1)', [committed + 1]);
				committed += 1;
			}
		});
		while (committed < 20) await new Promise((r) => setTimeout(r, 10));
		const beforeBackup = committed;
		const backupFile = join(dataDir, 'backups', 'during-writes.tar.gz');
		const report = await backupEmbeddedDatabase(dataDir, backupFile);
		const afterBackup = committed;
		writing = false;
		await writer;
		expect(report.bytes).toBeGreaterThan(100_000);
		expect(afterBackup).toBeGreaterThan(beforeBackup);

		// Life goes on after the backup: rows change and go.
		const changed = await withClient(async (client) => {
			await client.query('delete from public.attendance');
			await client.query(`update public.neighbourhood set name = name || ' (changed)'`);
			return digests(client);
		});
		expect(changed).not.toEqual(atBackup);

		await expect(restoreEmbeddedDatabase(dataDir, backupFile)).rejects.toThrow(/still running/);
		await stop();
		// A backup also works with the app stopped: it starts PostgreSQL for the occasion.
		const offlineFile = join(dataDir, 'backups', 'offline.tar.gz');
		await backupEmbeddedDatabase(dataDir, offlineFile);

		const restored = await restoreEmbeddedDatabase(dataDir, backupFile);
		expect(restored.keptAside && existsSync(join(restored.keptAside, 'postgres', 'PG_VERSION'))).toBe(true);
		await start();
		await withClient(async (client) => {
			expect(await digests(client)).toEqual(atBackup);
			const { rows } = await client.query<{ n: number }>('select n from public.backup_probe order by n');
			const present = rows.map((r) => r.n);
			// Everything committed before the backup began is there; nothing after it ended;
			// and what is there is an unbroken prefix: one consistent moment.
			expect(present.length).toBeGreaterThanOrEqual(beforeBackup);
			expect(present.length).toBeLessThanOrEqual(afterBackup);
			expect(present).toEqual(present.map((_, i) => i + 1));
		});
		await stop();

		await restoreEmbeddedDatabase(dataDir, offlineFile);
		await start();
		await withClient(async (client) => expect(await digests(client)).toEqual(changed));
	}, 240_000);

	it('refuses a file that is not a Buurtbord backup, and keeps the database', async () => {
		await stop();
		await expect(restoreEmbeddedDatabase(dataDir, join(dataDir, 'missing.tar.gz'))).rejects.toThrow(/No backup/);
		await start();
		await withClient(async (client) => expect(Object.keys(await digests(client)).length).toBeGreaterThan(20));
	}, 120_000);
});
