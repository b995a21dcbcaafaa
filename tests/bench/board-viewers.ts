import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { Server } from 'socket.io';
import type { ChangedEvent } from '../../src/lib/realtime/view-patch.ts';
import type { BenchContext } from './board-contention.ts';
import type { Figure } from './record.ts';
import { benchActivity, benchDatabase } from './bench-database.ts';
import { databaseClockOffset, joinPeople, steady } from './board-fanout.ts';
import { clock, cpuBetween, percentile, startFleets, treeCpuMs, type SocketFleet } from './socket-fleet.ts';

/**
 * Open boards as real browsers hold them: every viewer is a signed-in member on the board (so
 * it receives names), in client processes of their own (one per core: startFleets), and
 * applies what it receives exactly as the page
 * does — whole views and patches (view-patch.ts), the board rebuilt by applyBoardChange, the
 * page data fetched again where the page would reload. For each sign-up (a newcomer through
 * the full path: form post → SvelteKit → PostgREST → respond) it measures the time from
 * PostgreSQL's commit to the moment every viewer shows the new name, and the CPU the server
 * (app, PostgREST, PostgreSQL) spent per change.
 *
 * Phases: 20, 200 and 1,000 viewers on one board (one sign-up at a time, each awaited, then a
 * pause longer than the coalescing spacing, so each change is measured on its own); then
 * 1,000 boards × 10 viewers with sign-ups at 20/s spread over the boards.
 *
 * Beside each, in the same run and to the same number of sockets in the same client process:
 * a bare socket.io server with nothing of the app replays the very events the app sent (its
 * first viewer's, recorded), at the same pace; its start is the moment just before `emit`.
 *
 * Targets (issue 18): CPU per change at 1,000 viewers ≤ 2 × that at 20; p99 from commit to
 * "every viewer shows it" ≤ 100 ms at 1,000 viewers on one board; nothing missed.
 */
const ONE_BOARD = [20, 200, 1000];
const CHANGES_PER_BOARD_PHASE = 40;
const MANY = { boards: 1000, viewers: 10, perSecond: 20, seconds: 10 };
/** Longer than the coalescing spacing (VIEW_SPACING_MS in realtime/audiences.server.ts): each change stands alone. */
const PAUSE_MS = 300;
const NEW_NAME = 'Nieuw';
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Viewer {
	cookie: string;
	memberId: string;
}

export async function benchBoardViewers({ baseUrl, dataDir, serverPid }: BenchContext): Promise<Figure[]> {
	const bench = 'board-viewers';
	const { connection } = await benchDatabase(dataDir);
	const pool = new pg.Pool({ ...connection, max: 4 });
	const mostSockets = Math.max(...ONE_BOARD, MANY.boards * MANY.viewers);
	// One client process per core, as phones each have their own (see startFleets).
	const fleet: SocketFleet = await startFleets(mostSockets, availableParallelism());
	const figures: Figure[] = [];
	try {
		const { rows: tracking } = await pool.query<{ on: string }>(`select current_setting('track_commit_timestamp') as on`);
		if (tracking[0]!.on !== 'on') throw new Error('track_commit_timestamp is off (run through tests/bench/run.ts)');
		const { activityId, neighbourhoodId } = await benchActivity(pool, 'Kijkavond');
		const viewerCount = Math.max(...ONE_BOARD, MANY.viewers * 100);
		console.log(`  ${viewerCount} viewers and ${MANY.perSecond * MANY.seconds} newcomers join …`);
		const viewerCookies = await joinPeople(pool, baseUrl, neighbourhoodId, viewerCount, 'Kijker', 10_000);
		const comerCookies = await joinPeople(pool, baseUrl, neighbourhoodId, MANY.perSecond * MANY.seconds, NEW_NAME, 20_000);
		const idsOf = async (prefix: string, count: number) =>
			(await pool.query<{ id: string }>(`select id from member where display_name like $1 order by display_name limit $2`, [`${prefix} %`, count])).rows.map((r) => r.id);
		const viewerIds = await idsOf('Kijker', viewerCount);
		const comerIds = await idsOf(NEW_NAME, comerCookies.length);
		const viewers: Viewer[] = viewerCookies.map((cookie, i) => ({ cookie, memberId: viewerIds[i]! }));
		const comers = comerCookies.map((cookie, i) => ({ cookie, memberId: comerIds[i]!, name: `${NEW_NAME} ${String(i).padStart(4, '0')}` }));

		const newGatherings = async (count: number, offsetDays: number) =>
			(
				await pool.query<{ id: string }>(
					`insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at, is_extra)
					 select $1, t, t, t + interval '3 hours', true
					 from generate_series(1, $2) as i, lateral (select now() + make_interval(days => $3, mins => i) as t) s
					 returning id`,
					[activityId, count, offsetDays]
				)
			).rows.map((r) => r.id);
		/** The viewers of each board are on it (going), as the people whose pages get names. */
		const putOnBoard = (gathering: string, members: string[]) =>
			pool.query(
				`insert into attendance (gathering_id, member_id, status, going_since) select $1, m, 'going', now() from unnest($2::uuid[]) as m`,
				[gathering, members]
			);
		const pgOffset = await databaseClockOffset(pool);
		const clientOffset = await fleet.clockOffset();
		const commitOf = async (gathering: string, member: string) => {
			const { rows } = await pool.query<{ at: number }>(
				`select extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000 as at from attendance where gathering_id = $1 and member_id = $2`,
				[gathering, member]
			);
			return rows[0] ? Number(rows[0].at) - pgOffset + clientOffset : undefined;
		};
		const signUp = async (comer: (typeof comers)[number], gathering: string) => {
			const answer = await fetch(`${baseUrl}/g/${gathering}?/respond`, {
				method: 'POST',
				headers: { origin: baseUrl, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded', cookie: comer.cookie },
				body: new URLSearchParams({ status: 'going', guests: '0' })
			});
			return (await answer.text()).includes('"type":"success"');
		};
		const waitShowing = async (name: string, count: number) => {
			const deadline = Date.now() + 60_000;
			while ((await fleet.send({ cmd: 'count', fleet: name, key: '' })).showing! < count) {
				if (Date.now() > deadline) throw new Error(`${name}: not every viewer shows a board`);
				await sleep(100);
			}
		};
		const waitFor = async (name: string, key: string, count: number, ms: number) => {
			const deadline = Date.now() + ms;
			while ((await fleet.send({ cmd: 'count', fleet: name, key })).count! < count && Date.now() < deadline) await sleep(2);
		};
		const serverCpu = () => treeCpuMs(serverPid);
		const cpuFigures = (label: string, used: Map<string, number>, changes: number): Figure[] => [
			{ bench, metric: `app_${label}_cpu_app`, value: (used.get('node') ?? 0) / changes, unit: 'ms/change' },
			{ bench, metric: `app_${label}_cpu_postgrest`, value: (used.get('postgrest') ?? 0) / changes, unit: 'ms/change' },
			{ bench, metric: `app_${label}_cpu_postgres`, value: (used.get('postgres') ?? 0) / changes, unit: 'ms/change' }
		];
		/** Per viewer and per change ("every viewer shows it") latencies, and what never arrived. */
		const latencies = (starts: Map<string, number>, arrivals: Record<string, number[]>, perChange: number) => {
			const each: number[] = [];
			const all: number[] = [];
			let missing = 0;
			for (const [name, start] of starts) {
				const seen = arrivals[name] ?? [];
				missing += perChange - seen.length;
				for (const at of seen) each.push(at - start);
				if (seen.length === perChange) all.push(Math.max(...seen) - start);
			}
			each.sort((a, b) => a - b);
			all.sort((a, b) => a - b);
			return { each, all, missing };
		};
		const bare = await startReplayServer();
		let cpuAt20 = 0;
		try {
			// One board, more and more viewers.
			for (const [phase, count] of ONE_BOARD.entries()) {
				const label = `${count}x1`;
				const [gathering] = await newGatherings(1, 10 + phase);
				const topic = `gathering:${gathering}`;
				const members = viewers.slice(0, count);
				await putOnBoard(gathering!, members.map((v) => v.memberId));
				console.log(`  ${count} viewers on one board, ${CHANGES_PER_BOARD_PHASE} sign-ups one at a time …`);
				const connectApp = { cmd: 'connect', url: baseUrl, count, topic, watch: true, cookies: members.map((v) => v.cookie), memberIds: members.map((v) => v.memberId), names: NEW_NAME } as const;
				const app = await fleet.send({ ...connectApp, fleet: 'app', record: true });
				if (app.connected !== count) throw new Error(`connected ${app.connected} of ${count}`);
				await waitShowing('app', count);
				await sleep(1000);
				const starts = new Map<string, number>();
				let failures = 0;
				const before = await serverCpu();
				for (let k = 0; k < CHANGES_PER_BOARD_PHASE; k++) {
					const comer = comers[k]!;
					if (!(await signUp(comer, gathering!))) failures++;
					const committed = await commitOf(gathering!, comer.memberId);
					if (committed !== undefined) starts.set(comer.name, committed);
					await waitFor('app', comer.name, count, 5000);
					await sleep(PAUSE_MS);
				}
				const used = cpuBetween(before, await serverCpu());
				const collected = await fleet.send({ cmd: 'collect', fleet: 'app' });
				const appResult = latencies(starts, collected.arrivals as Record<string, number[]>, count);
				const recorded = collected.recorded![topic]!;
				await fleet.send({ cmd: 'disconnect', fleet: 'app' });

				// Bare socket.io: the same events to as many sockets, at the same pace.
				bare.load({ [topic]: recorded });
				const plain = await fleet.send({ ...connectApp, url: bare.url, cookies: undefined, fleet: 'bare' });
				if (plain.connected !== count) throw new Error(`bare: connected ${plain.connected} of ${count}`);
				await waitShowing('bare', count);
				const bareStarts = new Map<string, number>();
				for (const event of recorded.slice(1)) {
					const names = newNames(event);
					const at = clock() + clientOffset;
					bare.io.to(topic).emit('changed', event);
					for (const name of names) bareStarts.set(name, at);
					for (const name of names) await waitFor('bare', name, count, 5000);
					await sleep(PAUSE_MS);
				}
				const bareResult = latencies(bareStarts, (await fleet.send({ cmd: 'collect', fleet: 'bare' })).arrivals as Record<string, number[]>, count);
				await fleet.send({ cmd: 'disconnect', fleet: 'bare' });

				const appCpu = ((used.get('node') ?? 0) + (used.get('postgrest') ?? 0) + (used.get('postgres') ?? 0)) / CHANGES_PER_BOARD_PHASE;
				if (count === ONE_BOARD[0]) cpuAt20 = appCpu;
				figures.push(
					...cpuFigures(label, used, CHANGES_PER_BOARD_PHASE),
					{ bench, metric: `app_${label}_cpu_total`, value: appCpu, unit: 'ms/change', ...(count === 1000 && cpuAt20 ? { target: `<= ${(2 * cpuAt20).toFixed(1)}` } : {}) },
					{ bench, metric: `app_${label}_every_viewer_p50`, value: percentile(appResult.all, 50), unit: 'ms' },
					{ bench, metric: `app_${label}_every_viewer_p99`, value: percentile(appResult.all, 99), unit: 'ms', ...(count === 1000 ? { target: '<= 100' } : {}) },
					{ bench, metric: `app_${label}_one_viewer_p50`, value: percentile(appResult.each, 50), unit: 'ms' },
					{ bench, metric: `app_${label}_one_viewer_p99`, value: percentile(appResult.each, 99), unit: 'ms' },
					{ bench, metric: `app_${label}_missing`, value: appResult.missing + failures, unit: 'deliveries', target: '0' },
					{ bench, metric: `app_${label}_page_reloads`, value: collected.reloads ?? 0, unit: 'reloads' },
					{ bench, metric: `app_${label}_resyncs`, value: collected.resyncs ?? 0, unit: 'whole views asked again' },
					{ bench, metric: `app_${label}_bytes_per_change`, value: averageBytes(recorded.slice(1)), unit: 'bytes/viewer' },
					{ bench, metric: `bare_${label}_every_viewer_p50`, value: percentile(bareResult.all, 50), unit: 'ms' },
					{ bench, metric: `bare_${label}_every_viewer_p99`, value: percentile(bareResult.all, 99), unit: 'ms' },
					{ bench, metric: `bare_${label}_missing`, value: bareResult.missing, unit: 'deliveries' }
				);
				await sleep(500);
			}

			// Many boards, a few viewers each, sign-ups spread over them.
			{
				const label = `${MANY.viewers}x${MANY.boards}`;
				const changes = MANY.perSecond * MANY.seconds;
				console.log(`  ${MANY.boards} boards × ${MANY.viewers} viewers, ${MANY.perSecond} sign-ups/s for ${MANY.seconds} s …`);
				const gatherings = await newGatherings(MANY.boards, 30);
				const topics: string[] = [];
				const sockets: Viewer[] = [];
				for (const [b, gathering] of gatherings.entries()) {
					const members = Array.from({ length: MANY.viewers }, (_, j) => viewers[(b * MANY.viewers + j) % viewerCount]!);
					await putOnBoard(gathering, members.map((v) => v.memberId));
					for (const member of members) {
						topics.push(`gathering:${gathering}`);
						sockets.push(member);
					}
				}
				const connectMany = { cmd: 'connect', url: baseUrl, count: sockets.length, topic: topics[0]!, topics, watch: true, cookies: sockets.map((v) => v.cookie), memberIds: sockets.map((v) => v.memberId), names: NEW_NAME } as const;
				const app = await fleet.send({ ...connectMany, fleet: 'app', record: true });
				if (app.connected !== sockets.length) throw new Error(`connected ${app.connected} of ${sockets.length}`);
				await waitShowing('app', sockets.length);
				await sleep(2000);
				// Each sign-up on its own board, spread over all of them.
				const boardOf = (i: number) => gatherings[(i * 7) % MANY.boards]!;
				const starts = new Map<string, number>();
				let failures = 0;
				const before = await serverCpu();
				await steady(changes, MANY.perSecond, async (i) => {
					if (!(await signUp(comers[i]!, boardOf(i)))) failures++;
					const committed = await commitOf(boardOf(i), comers[i]!.memberId);
					if (committed !== undefined) starts.set(comers[i]!.name, committed);
				});
				await sleep(2000);
				const used = cpuBetween(before, await serverCpu());
				const collected = await fleet.send({ cmd: 'collect', fleet: 'app' });
				const appResult = latencies(starts, collected.arrivals as Record<string, number[]>, MANY.viewers);
				const recorded = collected.recorded!;
				await fleet.send({ cmd: 'disconnect', fleet: 'app' });

				bare.load(recorded);
				const plain = await fleet.send({ ...connectMany, url: bare.url, cookies: undefined, fleet: 'bare' });
				if (plain.connected !== sockets.length) throw new Error(`bare: connected ${plain.connected} of ${sockets.length}`);
				await waitShowing('bare', sockets.length);
				const replay = Array.from({ length: changes }, (_, i) => ({ topic: `gathering:${boardOf(i)}`, events: recorded[`gathering:${boardOf(i)}`]!.slice(1) }));
				const bareStarts = new Map<string, number>();
				await steady(changes, MANY.perSecond, async (i) => {
					const event = replay[i]!.events.shift();
					if (!event) return;
					const at = clock() + clientOffset;
					bare.io.to(replay[i]!.topic).emit('changed', event);
					for (const name of newNames(event)) bareStarts.set(name, at);
				});
				await sleep(2000);
				const bareResult = latencies(bareStarts, (await fleet.send({ cmd: 'collect', fleet: 'bare' })).arrivals as Record<string, number[]>, MANY.viewers);
				await fleet.send({ cmd: 'disconnect', fleet: 'bare' });
				figures.push(
					{ bench, metric: `sockets_${label}`, value: sockets.length, unit: 'sockets' },
					{ bench, metric: `rate_${label}`, value: MANY.perSecond, unit: 'sign-ups/s' },
					...cpuFigures(label, used, changes),
					{ bench, metric: `app_${label}_every_viewer_p50`, value: percentile(appResult.all, 50), unit: 'ms' },
					{ bench, metric: `app_${label}_every_viewer_p99`, value: percentile(appResult.all, 99), unit: 'ms' },
					{ bench, metric: `app_${label}_missing`, value: appResult.missing + failures, unit: 'deliveries', target: '0' },
					{ bench, metric: `app_${label}_page_reloads`, value: collected.reloads ?? 0, unit: 'reloads' },
					{ bench, metric: `bare_${label}_every_viewer_p50`, value: percentile(bareResult.all, 50), unit: 'ms' },
					{ bench, metric: `bare_${label}_every_viewer_p99`, value: percentile(bareResult.all, 99), unit: 'ms' },
					{ bench, metric: `bare_${label}_missing`, value: bareResult.missing, unit: 'deliveries' }
				);
			}
		} finally {
			await bare.stop();
		}
		figures.push({ bench, metric: 'cores', value: availableParallelism(), unit: 'cores' });
		return figures;
	} finally {
		await fleet.stop();
		await pool.end();
	}
}

/** The new names a recorded event adds to a board. */
function newNames(event: ChangedEvent): string[] {
	const people = 'view' in event ? ((event.view.people as { name: string | null }[] | undefined) ?? []) : ((event.patch.lists.people?.upserted ?? []) as unknown as { name: string | null }[]);
	return people.map((p) => p.name ?? '').filter((name) => name.startsWith(NEW_NAME));
}

function averageBytes(events: ChangedEvent[]) {
	return events.length ? events.reduce((sum, e) => sum + JSON.stringify(e).length, 0) / events.length : 0;
}

/** A plain socket.io server that sends each watcher the first recorded view of its topic; the bench emits the rest. */
async function startReplayServer() {
	let recorded: Record<string, ChangedEvent[]> = {};
	const http = createServer();
	const io = new Server(http, { path: '/socket.io', serveClient: false });
	io.on('connection', (socket) => {
		socket.on('watch', (request: { topic: string }, ack?: () => void) => {
			void socket.join(request.topic);
			ack?.();
			const first = recorded[request.topic]?.[0];
			if (first) socket.emit('changed', first);
		});
	});
	await new Promise<void>((ready) => http.listen(0, '127.0.0.1', ready));
	const address = http.address() as { port: number };
	return {
		io,
		url: `http://127.0.0.1:${address.port}`,
		load(events: Record<string, ChangedEvent[]>) {
			recorded = events;
		},
		stop: () => new Promise<void>((done) => io.close(() => done()))
	};
}
