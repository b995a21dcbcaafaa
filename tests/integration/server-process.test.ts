import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess as startServer } from '../support/server-process.ts';

/**
 * The production server as people run it (`node --import tsx src/server.ts` over the built app), in its own
 * process with its own data folder: start-up, two copies side by side, a restart that keeps
 * the data, and a shutdown that leaves no postgres or postgrest process behind.
 */
const dirs: string[] = [];

/** Processes whose command line mentions the data folder (postgres runs with -D <dir>). */
function processesUsing(dir: string): string[] {
	const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
	return out.split('\n').filter((line) => line.includes(dir) && !line.includes('ps -eo'));
}

/**
 * The PostgREST processes serving the PostgreSQL on `port` (their PGRST_DB_URI names it). Only
 * these: other stacks on the machine (another test file's, a developer's) start and stop their
 * own PostgREST at any moment, so a count of every PostgREST says nothing about this one.
 */
function postgrestFor(port: number): number[] {
	const out = execFileSync('ps', ['-eo', 'pid,comm'], { encoding: 'utf8' });
	return out
		.split('\n')
		.map((line) => line.trim().split(/\s+/))
		.filter(([, name]) => name === 'postgrest')
		.map(([pid]) => Number(pid))
		.filter((pid) => {
			try {
				const uri = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((v) => v.startsWith('PGRST_DB_URI='));
				return uri !== undefined && new URL(uri.slice('PGRST_DB_URI='.length)).port === String(port);
			} catch {
				return false; // gone meanwhile
			}
		});
}

/** The port of the PostgreSQL running in a data folder (its postmaster.pid says it, fourth line). */
function postgresPort(dir: string): number {
	return Number(readFileSync(join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
}

async function dataDir() {
	const dir = await mkdtemp(join(tmpdir(), 'buurtbord-srv-'));
	dirs.push(dir);
	return dir;
}

beforeAll(() => {
	if (!existsSync('build/handler.js')) throw new Error('Run `vite build` first (npm test does).');
});
afterAll(async () => {
	for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

// Each test starts one or two whole stacks (a fresh PostgreSQL, migrations, PostgREST): 5–11 s
// alone on 2 cores, three times that with the machine busy. The timeout guards against a hang.
describe('the production server', { timeout: 90_000 }, () => {
	it('runs two copies side by side, each healthy, and stops both cleanly', async () => {
		const [dirA, dirB] = [await dataDir(), await dataDir()];
		const [a, b] = await Promise.all([startServer({ BUURTBORD_DATA_DIR: dirA }), startServer({ BUURTBORD_DATA_DIR: dirB })]);
		expect(a.url).not.toBe(b.url);
		for (const server of [a, b]) {
			const health = await fetch(`${server.url}/healthz`);
			expect(health.status).toBe(200);
			expect(await health.json()).toMatchObject({ status: 'ok', database: { status: 'ok' }, postgrest: { status: 'ok' } });
			const home = await (await fetch(server.url)).text();
			expect(home).toContain('De Linde');
			expect(server.output()).toContain('Demo data loaded');
		}
		expect(processesUsing(dirA).length).toBeGreaterThan(0);
		const ports = [postgresPort(dirA), postgresPort(dirB)];
		expect(ports.map((port) => postgrestFor(port).length)).toEqual([1, 1]);

		await Promise.all([a.stop(), b.stop()]);
		// PostgreSQL's children take a moment to go after the postmaster says it has stopped.
		await new Promise((r) => setTimeout(r, 500));
		expect(processesUsing(dirA)).toEqual([]);
		expect(processesUsing(dirB)).toEqual([]);
		expect(ports.map((port) => postgrestFor(port))).toEqual([[], []]);
		expect(existsSync(join(dirA, 'postgres', 'postmaster.pid'))).toBe(false);
	});

	it('keeps its data across a restart and does not load the demo data twice', async () => {
		const dir = await dataDir();
		const first = await startServer({ BUURTBORD_DATA_DIR: dir });
		await first.stop();

		const second = await startServer({ BUURTBORD_DATA_DIR: dir });
		expect(second.output()).not.toContain('Demo data loaded');
		expect(second.output()).not.toContain('Migrations applied');
		const secrets = JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8'));
		// The fourth line of postmaster.pid is the port PostgreSQL listens on.
		const port = Number((await readFile(join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[3]);
		const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: secrets.postgresPassword, database: 'buurtbord' });
		await client.connect();
		const { rows } = await client.query<{ n: number }>('select count(*)::int as n from neighbourhood');
		await client.end();
		expect(rows[0]!.n).toBe(1);
		await second.stop();
	});

	it('when killed outright, its PostgREST stops by itself, and it starts again, stopping the PostgreSQL left behind', async () => {
		const dir = await dataDir();
		const first = await startServer({ BUURTBORD_DATA_DIR: dir });
		// Killed with no chance to stop its children (an out-of-memory kill, say): its PostgREST
		// is stopped by its watchdog; its PostgreSQL lives on and still holds the data folder.
		const leftBehind = execFileSync('pgrep', ['-P', String(first.child.pid)]).toString().trim().split('\n').map(Number);
		const postgrest = leftBehind.filter((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgrest');
		expect(postgrest).toHaveLength(1);
		const exited = new Promise((done) => first.child.once('exit', done));
		first.child.kill('SIGKILL');
		await exited;
		try {
			const running = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
			for (let waited = 0; running(postgrest[0]!) && waited < 15_000; waited += 250) await new Promise((r) => setTimeout(r, 250));
			expect(running(postgrest[0]!)).toBe(false);
			const second = await startServer({ BUURTBORD_DATA_DIR: dir });
			expect(second.output()).toContain('left running by an earlier app process');
			expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
			await second.stop();
		} finally {
			// Whatever a failed assertion above left behind.
			for (const pid of leftBehind) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// already gone (the PostgreSQL was stopped by the second start)
				}
			}
		}
	});

	it('takes its PostgreSQL and PostgREST with it when its process exits without stopping them', async () => {
		// As a test runner does that gives up waiting for a clean stop: process.exit, no shutdown.
		const dir = await dataDir();
		const script = `
			import { parseConfig } from ${JSON.stringify(resolve('src/lib/server/config.ts'))};
			import { startStack } from ${JSON.stringify(resolve('src/lib/server/stack/index.ts'))};
			const stack = await startStack(parseConfig({ BUURTBORD_DATA_DIR: ${JSON.stringify(dir)}, LOAD_DEMO_DATA: 'false' }));
			console.log(JSON.stringify({ ...stack.started, port: new URL(stack.env.DATABASE_URL).port }));
			process.exit(0);`;
		const started = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
			encoding: 'utf8',
			env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' }
		});
		const report = JSON.parse(started.trim().split('\n').at(-1)!);
		expect(report).toMatchObject({ postgres: true, postgrest: true, port: expect.stringMatching(/^\d+$/) });
		// PostgREST was killed and PostgreSQL asked for a fast shutdown as the process went; both
		// finish on their own a moment later.
		const gone = () => postgrestFor(Number(report.port)).length === 0 && processesUsing(dir).length === 0;
		for (let waited = 0; !gone() && waited < 15_000; waited += 250) await new Promise((r) => setTimeout(r, 250));
		expect(postgrestFor(Number(report.port))).toEqual([]);
		expect(processesUsing(dir)).toEqual([]);
		expect(existsSync(join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
	});

	it('refuses to start on a wrong setting and names the variable', async () => {
		await expect(startServer({ PORT: 'eighty', BUURTBORD_DATA_DIR: await dataDir() })).rejects.toThrow(
			/exited with 1:[\s\S]*PORT: must be a number/
		);
	});
});
