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

/**
 * Writes numbered rows into backup_probe, one commit each, until stopped; with `churn`, a second
 * connection also creates and drops tables and switches WAL segments, so files appear and
 * disappear in the data folder and in pg_wal while a backup copies them.
 */
function startWriter({ churn = false } = {}) {
	let writing = true;
	let committed = 0;
	const loops = [
		withClient(async (client) => {
			while (writing) {
				await client.query('insert into public.backup_probe values ($1)', [committed + 1]);
				committed += 1;
			}
		})
	];
	if (churn) {
		loops.push(
			withClient(async (client) => {
				for (let i = 0; writing; i++) {
					await client.query(`create table public.backup_churn_${i % 4} as select g from generate_series(1, 2000) g`);
					await client.query(`drop table public.backup_churn_${i % 4}`);
					if (i % 20 === 0) await client.query('select pg_switch_wal()');
				}
			})
		);
	}
	return {
		committed: () => committed,
		async atLeast(n: number) {
			while (committed < n) await new Promise((r) => setTimeout(r, 10));
		},
		async stop() {
			writing = false;
			await Promise.all(loops);
		}
	};
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
		const writer = startWriter();
		let beforeBackup = 0;
		let afterBackup = 0;
		let report!: Awaited<ReturnType<typeof backupEmbeddedDatabase>>;
		const backupFile = join(dataDir, 'backups', 'during-writes.tar.gz');
		try {
			await writer.atLeast(20);
			beforeBackup = writer.committed();
			report = await backupEmbeddedDatabase(dataDir, backupFile);
			afterBackup = writer.committed();
		} finally {
			await writer.stop();
		}
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

	it('takes one backup after another while tables come and go and the WAL moves on, and every one restores to a consistent moment', async () => {
		const BACKUPS = 4;
		await withClient((client) => client.query('create table if not exists public.backup_probe (n int primary key); truncate public.backup_probe'));
		const taken: { file: string; before: number; after: number }[] = [];
		const writer = startWriter({ churn: true });
		try {
			await writer.atLeast(20);
			for (let i = 0; i < BACKUPS; i++) {
				const before = writer.committed();
				const file = join(dataDir, 'backups', `churn-${i}.tar.gz`);
				await backupEmbeddedDatabase(dataDir, file);
				taken.push({ file, before, after: writer.committed() });
			}
		} finally {
			await writer.stop();
		}
		for (const { file, before, after } of taken) {
			// Each into a folder of its own, as on a new machine.
			const target = await mkdtemp(join(tmpdir(), 'buurtbord-restore-it-'));
			try {
				await restoreEmbeddedDatabase(target, file);
				const restored = await startEmbeddedPostgres(target, password);
				try {
					const client = new pg.Client({ connectionString: restored.databaseUrl });
					await client.connect();
					try {
						const { rows } = await client.query<{ n: number }>('select n from public.backup_probe order by n');
						const present = rows.map((r) => r.n);
						expect(present.length, file).toBeGreaterThanOrEqual(before);
						expect(present.length, file).toBeLessThanOrEqual(after);
						expect(present, file).toEqual(present.map((_, i) => i + 1));
						const { rows: members } = await client.query<{ count: number }>('select count(*)::int as count from public.member');
						expect(members[0]!.count, file).toBeGreaterThan(0);
					} finally {
						await client.end();
					}
				} finally {
					await restored.stop();
				}
			} finally {
				await rm(target, { recursive: true, force: true });
			}
		}
	}, 300_000);

	it('refuses a file that is not a Buurtbord backup, and keeps the database', async () => {
		await stop();
		await expect(restoreEmbeddedDatabase(dataDir, join(dataDir, 'missing.tar.gz'))).rejects.toThrow(/No backup/);
		await start();
		await withClient(async (client) => expect(Object.keys(await digests(client)).length).toBeGreaterThan(20));
	}, 120_000);
});
