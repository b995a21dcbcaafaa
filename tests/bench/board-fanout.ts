import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Server } from 'socket.io';
import { generateInviteCode } from '../../src/lib/joining/invite-code.ts';
import { hashSecret } from '../../src/lib/server/auth/sealing.ts';
import type { BenchContext } from './board-contention.ts';
import type { Figure } from './record.ts';
import { benchActivity, benchDatabase } from './bench-database.ts';
import { clock, cpuMs, percentile, startSocketFleet, type SocketFleet } from './socket-fleet.ts';

/**
 * Fan-out: how long after a sign-up has committed every open copy of the board has it.
 *
 * "Committed" is PostgreSQL's own commit time of the sign-up's transaction
 * (`pg_xact_commit_timestamp`, with `track_commit_timestamp` on — run.ts turns it on), moved
 * onto our clock by timing `clock_timestamp()` round trips. Arrival is when the clients'
 * process (a separate process: tests/bench/socket-clients.ts) first sees a board that
 * includes that sign-up; its clock is checked against ours over IPC. Sign-ups go through the
 * full path at a steady rate (form post → SvelteKit → PostgREST → respond, then the
 * service announces the board summary), each by a different member on an open-ended board, so
 * the k-th commit is the board with k going.
 *
 * Beside it, in the same run and to the same number of sockets in the same client process:
 * a bare socket.io server (no adapter, no app) in this process emits the same payload at the
 * same rate; its start is the moment just before `emit`.
 */
const PHASES = [
	{ sockets: 1000, perSecond: 20, seconds: 10, targets: { p50: '<= 15', p99: '<= 50' } },
	{ sockets: 5000, perSecond: 5, seconds: 12, targets: { p50: undefined, p99: '<= 150' } }
] as const;

interface Latencies {
	p50: number;
	p99: number;
	max: number;
	deliveries: number;
	missing: number;
}

function summarise(starts: Map<number, number>, arrivals: Record<number, number[]>, sockets: number): Latencies {
	const all: number[] = [];
	let missing = 0;
	for (const [going, start] of starts) {
		const seen = arrivals[going] ?? [];
		missing += sockets - seen.length;
		for (const at of seen) all.push(at - start);
	}
	all.sort((a, b) => a - b);
	return { p50: percentile(all, 50), p99: percentile(all, 99), max: all.at(-1) ?? 0, deliveries: all.length, missing };
}

async function sleep(ms: number) {
	await new Promise((done) => setTimeout(done, ms));
}

/** Runs `once(i)` `count` times at `perSecond`, not waiting for one to finish before the next starts. */
export async function steady(count: number, perSecond: number, once: (i: number) => Promise<void>) {
	const start = clock();
	const running: Promise<void>[] = [];
	for (let i = 0; i < count; i++) {
		const due = start + (i * 1000) / perSecond;
		const wait = due - clock();
		if (wait > 0) await sleep(wait);
		running.push(once(i));
	}
	await Promise.all(running);
}

export async function benchBoardFanout({ baseUrl, dataDir, serverPid }: BenchContext): Promise<Figure[]> {
	const bench = 'board-fanout';
	const { connection } = await benchDatabase(dataDir);
	const pool = new pg.Pool({ ...connection, max: 4 });
	const maxSignUps = Math.max(...PHASES.map((p) => p.perSecond * p.seconds));
	const fleet: SocketFleet = await startSocketFleet(2 * Math.max(...PHASES.map((p) => p.sockets)));
	const bare = await startBareServer();
	const figures: Figure[] = [];
	try {
		const { rows: tracking } = await pool.query<{ on: string }>(`select current_setting('track_commit_timestamp') as on`);
		if (tracking[0]!.on !== 'on') throw new Error('track_commit_timestamp is off (run through tests/bench/run.ts)');

		// An open-ended board per phase in the demo neighbourhood, and people who joined through an invite.
		const { activityId, neighbourhoodId } = await benchActivity(pool, 'Straatfeest');
		const gatherings: string[] = [];
		for (let i = 0; i < PHASES.length; i++) {
			const { rows } = await pool.query<{ id: string }>(
				// Extra dates, so refreshing the series never takes them away mid-run.
				`insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at, is_extra)
				 values ($1, now() + make_interval(days => 3 + 7 * $2), now() + make_interval(days => 3 + 7 * $2), now() + make_interval(days => 3 + 7 * $2, hours => 3), true) returning id`,
				[activityId, i]
			);
			gatherings.push(rows[0]!.id);
		}
		const cookies = await joinPeople(pool, baseUrl, neighbourhoodId, maxSignUps);

		for (const [index, phase] of PHASES.entries()) {
			const gathering = gatherings[index]!;
			const topic = `gathering:${gathering}`;
			const count = phase.perSecond * phase.seconds;
			const label = `${phase.sockets}`;
			console.log(`  ${phase.sockets} sockets, ${phase.perSecond} sign-ups/s for ${phase.seconds} s …`);
			const app = await fleet.send({ cmd: 'connect', fleet: 'app', url: baseUrl, count: phase.sockets, topic, watch: true });
			const plain = await fleet.send({ cmd: 'connect', fleet: 'bare', url: bare.url, count: phase.sockets, topic, watch: true });
			if (app.connected !== phase.sockets || plain.connected !== phase.sockets) {
				throw new Error(`connected ${app.connected}/${plain.connected} of ${phase.sockets} sockets`);
			}
			await sleep(2000);

			// The app: sign-ups through the full path, each dated by its commit.
			const pgOffset = await databaseClockOffset(pool);
			const clientOffset = await fleet.clockOffset();
			await fleet.send({ cmd: 'reset', fleet: 'app' });
			const commits: number[] = [];
			let failures = 0;
			const { rows: ids } = await pool.query<{ id: string }>(`select id from member where display_name like 'Fan %' order by display_name limit $1`, [count]);
			const cpuBefore = await cpuMs(serverPid);
			const answerTimes: number[] = [];
			await steady(count, phase.perSecond, async (i) => {
				const sent = clock();
				const response = await fetch(`${baseUrl}/g/${gathering}?/respond`, {
					method: 'POST',
					headers: { origin: baseUrl, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded', cookie: cookies[i]! },
					body: new URLSearchParams({ status: 'going', guests: '0' })
				});
				if (!(await response.text()).includes('"type":"success"')) failures++;
				answerTimes.push(clock() - sent);
				const { rows } = await pool.query<{ at: number }>(
					`select extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000 as at from attendance where gathering_id = $1 and member_id = $2`,
					[gathering, ids[i]!.id]
				);
				if (rows[0]) commits.push(Number(rows[0].at) - pgOffset + clientOffset);
			});
			const serverCpu = (await cpuMs(serverPid)) - cpuBefore;
			await sleep(2000);
			// Commits are serialised by the gathering's lock: the k-th commit made the board with k going.
			const appStarts = new Map(commits.sort((a, b) => a - b).map((at, k) => [k + 1, at] as const));
			const appArrivals = (await fleet.send({ cmd: 'collect', fleet: 'app' })).arrivals!;
			const appResult = summarise(appStarts, appArrivals, phase.sockets);


			// Bare socket.io: the same payload, the same rate, the same number of sockets.
			const { rows: summary } = await pool.query<{ s: Record<string, unknown> }>('select public.board_summary($1) as s', [gathering]);
			await fleet.send({ cmd: 'reset', fleet: 'bare' });
			const bareStarts = new Map<number, number>();
			await steady(count, phase.perSecond, async (i) => {
				const payload = { ...summary[0]!.s, going: i + 1, people_going: i + 1 };
				bareStarts.set(i + 1, clock() + clientOffset);
				bare.io.to(topic).emit('changed', { topic, payload });
			});
			await sleep(2000);
			const bareResult = summarise(bareStarts, (await fleet.send({ cmd: 'collect', fleet: 'bare' })).arrivals!, phase.sockets);

			await fleet.send({ cmd: 'disconnect', fleet: 'app' });
			await fleet.send({ cmd: 'disconnect', fleet: 'bare' });
			await sleep(1000);

			figures.push(
				{ bench, metric: `sockets_${label}_rate`, value: phase.perSecond, unit: 'sign-ups/s' },
				{ bench, metric: `app_${label}_p50`, value: appResult.p50, unit: 'ms', ...(phase.targets.p50 ? { target: phase.targets.p50 } : {}) },
				{ bench, metric: `app_${label}_p99`, value: appResult.p99, unit: 'ms', target: phase.targets.p99 },
				{ bench, metric: `app_${label}_max`, value: appResult.max, unit: 'ms' },
				{ bench, metric: `app_${label}_signup_answer_p50`, value: percentile(answerTimes.sort((a, b) => a - b), 50), unit: 'ms' },
				{ bench, metric: `app_${label}_server_cpu`, value: serverCpu / count, unit: 'ms/sign-up' },
				{ bench, metric: `app_${label}_missing`, value: appResult.missing + failures, unit: 'deliveries', target: '0' },
				{ bench, metric: `bare_${label}_p50`, value: bareResult.p50, unit: 'ms' },
				{ bench, metric: `bare_${label}_p99`, value: bareResult.p99, unit: 'ms' },
				{ bench, metric: `bare_${label}_missing`, value: bareResult.missing, unit: 'deliveries' },
				{ bench, metric: `ratio_${label}_p50`, value: appResult.p50 / Math.max(bareResult.p50, 0.001), unit: 'x' },
				{ bench, metric: `ratio_${label}_p99`, value: appResult.p99 / Math.max(bareResult.p99, 0.001), unit: 'x' },
				{ bench, metric: `clock_offset_${label}`, value: clientOffset, unit: 'ms' }
			);
		}
		figures.push({ bench, metric: 'cores', value: availableParallelism(), unit: 'cores' });
		return figures;
	} finally {
		await fleet.stop();
		await bare.stop();
		await pool.end();
	}
}

/** Offset of PostgreSQL's clock from ours (ms; positive: the database is ahead), median of ten round trips. */
export async function databaseClockOffset(pool: pg.Pool): Promise<number> {
	const client = await pool.connect();
	try {
		const offsets: number[] = [];
		for (let i = 0; i < 10; i++) {
			const before = clock();
			const { rows } = await client.query<{ at: number }>(`select extract(epoch from clock_timestamp()) * 1000 as at`);
			const after = clock();
			offsets.push(Number(rows[0]!.at) - (before + after) / 2);
		}
		return offsets.sort((a, b) => a - b)[5]!;
	} finally {
		client.release();
	}
}

/**
 * People who join the demo neighbourhood through invite links, as on a poster (each from its
 * own address, as behind a proxy; a few invites, since each is limited per hour).
 */
export async function joinPeople(pool: pg.Pool, baseUrl: string, neighbourhood: string, count: number, prefix = 'Fan', firstAddress = 0): Promise<string[]> {
	const codes: string[] = [];
	for (let i = 0; i < Math.ceil(count / 100); i++) {
		const code = generateInviteCode();
		await pool.query(`insert into invite (neighbourhood_id, code_hash, code_sealed, label) values ($1, $2, 'bench', 'bench')`, [neighbourhood, hashSecret(code)]);
		codes.push(code);
	}
	const cookies: string[] = [];
	for (let i = 0; i < count; i++) {
		const joined = await fetch(`${baseUrl}/join/${codes[Math.floor(i / 100)]}`, {
			method: 'POST',
			headers: { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `203.${Math.floor((firstAddress + i) / 62500) % 250}.${Math.floor((firstAddress + i) / 250) % 250}.${((firstAddress + i) % 250) + 1}` },
			body: new URLSearchParams({ display_name: `${prefix} ${String(i).padStart(4, '0')}`, lang: 'nl' }),
			redirect: 'manual'
		});
		if (joined.status !== 303) throw new Error(`joining answered ${joined.status}`);
		cookies.push(joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '));
	}
	return cookies;
}

/** A plain socket.io server with nothing of the app: the floor the app is compared with. */
export async function startBareServer() {
	const http = createServer();
	const io = new Server(http, { path: '/socket.io', serveClient: false });
	io.on('connection', (socket) => {
		socket.on('watch', (request: { topic: string }, ack?: () => void) => {
			void socket.join(request.topic);
			ack?.();
		});
	});
	await new Promise<void>((ready) => http.listen(0, '127.0.0.1', ready));
	const address = http.address() as { port: number };
	return {
		io,
		url: `http://127.0.0.1:${address.port}`,
		stop: () => new Promise<void>((done) => io.close(() => done()))
	};
}
