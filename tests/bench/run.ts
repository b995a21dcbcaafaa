/**
 * `npm run bench [-- name …]`: starts the built app on its own embedded stack in a temporary
 * folder, runs the benchmarks, prints their figures and appends them to
 * bench-results/latest.jsonl.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { benchBoardContention, type BenchContext } from './board-contention.ts';
import { benchBoardFanout } from './board-fanout.ts';
import { benchPlainBurst } from './plain-burst.ts';
import { benchBoardViewers } from './board-viewers.ts';
import { benchCalendarFeeds } from './calendar-feeds.ts';
import { benchSocketMemory } from './socket-memory.ts';
import { fileLimits, serverNodePid } from './socket-fleet.ts';
import { benchHomePage } from './home-page.ts';
import { benchPageExperience } from './page-experience.ts';
import { record, type Figure } from './record.ts';
import { withCommitTimestamps } from './bench-database.ts';

const benches: Record<string, (context: BenchContext) => Promise<Figure[]>> = {
	'home-page': benchHomePage,
	'board-contention': benchBoardContention,
	'board-fanout': benchBoardFanout,
	'board-viewers': benchBoardViewers,
	'plain-burst': benchPlainBurst,
	'socket-memory': benchSocketMemory,
	'calendar-feeds': benchCalendarFeeds,
	'page-experience': benchPageExperience
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length) {
	console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(benches).join(', ')}`);
	process.exit(2);
}

const limits = fileLimits();
console.log(`${availableParallelism()} cores; open files: soft ${limits.soft}, hard ${limits.hard}`);
const dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-bench-'));
// As behind a proxy: each simulated person comes from their own address (rate limits are per address).
const start = () => startServerProcess({ BUURTBORD_DATA_DIR: dataDir, NODE_ENV: 'production', ADDRESS_HEADER: 'x-forwarded-for' });
let server: ServerProcess = await start();
// The fan-out bench dates each sign-up by PostgreSQL's commit time.
server = await withCommitTimestamps(dataDir, server, start);
let failed = false;
try {
	for (const [name, run] of Object.entries(benches)) {
		if (wanted.length && !wanted.includes(name)) continue;
		console.log(`\n${name}`);
		try {
			await record(await run({ baseUrl: server.url, dataDir, output: server.output(), serverPid: await serverNodePid(server.child.pid!) }));
		} catch (error) {
			failed = true;
			console.error(`  failed: ${(error as Error).message}`);
		}
	}
} finally {
	await server.stop();
	await rm(dataDir, { recursive: true, force: true });
}
console.log('\nAppended to bench-results/latest.jsonl');
process.exit(failed ? 1 : 0);
