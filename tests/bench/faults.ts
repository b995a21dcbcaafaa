/**
 * `npm run faults`: faults under load, and nothing lost.
 *
 * Starts the built app on its own embedded stack in a temporary folder; simulated members
 * (each with their own session and address) keep signing up and taking slots, and log every
 * change the server acknowledged; socket.io boards watch the gatherings. Then, one after the
 * other: PostgREST is killed (SIGKILL), PostgreSQL is stopped hard (SIGQUIT: immediate
 * shutdown, as a crash), and the app process is restarted (SIGTERM, then a new process on
 * the same data folder and port, as a service manager does). For each: the time until a
 * sign-up succeeds again, and what pages answered meanwhile. At the end the acknowledged log
 * is compared with the rows, and every board's last known state with the database.
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { generateInviteCode } from '../../src/lib/joining/invite-code.ts';
import { parse, unflatten } from 'devalue';
import { hashSecret } from '../../src/lib/server/auth/sealing.ts';
import { freePort } from '../../src/lib/server/stack/free-port.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { benchDatabase } from './bench-database.ts';
import { serverNodePid, treeCpuMs } from './socket-fleet.ts';
import { applyChangedEvent, type ChangedEvent } from '../../src/lib/realtime/view-patch.ts';

/**
 * SIGTERM to the app's own node process, as a service manager signals its main process. Not
 * through tsx: tsx relays a signal and, if the busy child does not confirm it within 30 ms,
 * kills it with SIGKILL — which leaves PostgreSQL and PostgREST running without their app.
 */
async function stopApp(server: ServerProcess): Promise<void> {
	if (server.child.exitCode !== null) return;
	const exited = new Promise((resolve) => server.child.once('exit', resolve));
	const pid = await serverNodePid(server.child.pid!);
	process.kill(pid, 'SIGTERM');
	await exited;
}

export interface FaultOptions {
	members: number;
	/** Each member signs up once per gathering: enough of them that nobody runs out before the end. */
	gatherings: number;
	boards: number;
	/** Seconds of steady load before the first fault and after each recovery. */
	steadySeconds: number;
	/** Pause between one member's changes (ms, each drawn between half and one and a half times). */
	thinkMs: number;
	log?: (line: string) => void;
}

export interface FaultResult {
	name: string;
	/** From the fault (process gone) until a sign-up sent after it was acknowledged. */
	recoveredMs: number | null;
	/** Board actions answered "try again" (503) during the outage, with and without JavaScript. */
	tryAgain: number;
	/** Pages asked for during the outage, by answer. */
	pages: { friendly503: number; ok: number; other5xx: number; hung: number; refused: number };
	unexpected: string[];
}

export interface FaultReport {
	faults: FaultResult[];
	acknowledged: number;
	found: number;
	lost: number;
	lostExamples: string[];
	/** Rows whose change was never acknowledged (a request cut off after it committed): not lost, just unconfirmed. */
	unconfirmedRows: number;
	boards: { total: number; caughtUp: number; reconnects: number; settleMs: number; stale: string[] };
	friendlyNonJsRepost: number;
	/** Every answer a member got, by kind (ack, try-again, refused (no server), hung, …). */
	answers: Record<string, number>;
	/** Changes given up after two minutes of "try again". */
	abandoned: number;
	/** Errors the app logged that were not outages (first few, each once). */
	serverErrors: string[];
}

type Change = { member: number; gathering: number; kind: 'going' | 'maybe' | 'slot'; js: boolean };
type Ack = Change & { told?: string; at: number };
type Member = { id: string; name: string; cookie: string; address: string };

const HANG_MS = 10_000;
const FRIENDLY = 'Buurtbord is even niet bereikbaar';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runFaults(options: FaultOptions): Promise<FaultReport> {
	const log = options.log ?? ((line: string) => console.log(line));
	const dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-faults-'));
	const port = await freePort();
	const env = { BUURTBORD_DATA_DIR: dataDir, LOAD_DEMO_DATA: 'false', NODE_ENV: 'production', ADDRESS_HEADER: 'x-forwarded-for', PORT: String(port) };
	let server: ServerProcess = await startServerProcess(env);
	const outputs: (() => string)[] = [server.output];
	const base = server.url;
	const sockets: Socket[] = [];
	let db: pg.Pool | undefined;
	try {
		// The test's own connection to the app's PostgreSQL; it reconnects on its own after restarts.
		const connect = async () => {
			const pool = new pg.Pool({ ...(await benchDatabase(dataDir)).connection, max: 2 });
			pool.on('error', () => {});
			pool.on('connect', (client) => client.on('error', () => {}));
			return pool;
		};
		db = await connect();

		// ── Arrange: a neighbourhood, gatherings with a slot each, members who joined by invite.
		const hood = (await db.query<{ id: string }>(`insert into neighbourhood (slug, name) values ('storing', 'Storingsbuurt') returning id`)).rows[0]!.id;
		const host = (await db.query<{ id: string }>(`insert into member (display_name) values ('Gastvrouw') returning id`)).rows[0]!.id;
		await db.query(`insert into neighbourhood_member (neighbourhood_id, member_id, role) values ($1, $2, 'coordinator')`, [hood, host]);
		const activity = (
			await db.query<{ id: string }>(
				`insert into activity (neighbourhood_id, title, kind, place_name, schedule_rrule, schedule_starts_at, duration_minutes, capacity, created_by)
				 values ($1, 'Storingsdiner', 'shared_dinner', 'Buurthuis', 'FREQ=WEEKLY;BYDAY=TU', '2026-11-24 18:00', 150, $2, $3) returning id`,
				[hood, Math.max(2, Math.floor(options.members / 2)), host]
			)
		).rows[0]!.id;
		// Extra dates: the app's series refresh (30 s after start) keeps them, as it would not the
		// daily dates of a weekly series.
		const gatherings: { id: string; slot: string }[] = [];
		for (let i = 0; i < options.gatherings; i++) {
			const start = new Date(Date.now() + (7 + i) * 86_400_000).toISOString();
			const id = (
				await db.query<{ id: string }>(
					`insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at, is_extra) values ($1, $2, $2, $2::timestamptz + interval '150 minutes', true) returning id`,
					[activity, start]
				)
			).rows[0]!.id;
			const slot = (await db.query<{ id: string }>(`insert into gathering_slot (gathering_id, label, kind, quantity) values ($1, 'Stoelen', 'item', 200) returning id`, [id])).rows[0]!.id;
			gatherings.push({ id, slot });
		}
		const codes: string[] = [];
		for (let i = 0; i < Math.ceil(options.members / 100); i++) {
			const code = generateInviteCode();
			await db.query(`insert into invite (neighbourhood_id, code_hash, code_sealed) values ($1, $2, 'sealed')`, [hood, hashSecret(code)]);
			codes.push(code);
		}
		const members: Member[] = [];
		for (let i = 0; i < options.members; i++) {
			const name = `Buur ${String(i).padStart(3, '0')}`;
			const address = `10.9.${Math.floor(i / 250)}.${(i % 250) + 1}`;
			const joined = await fetch(`${base}/join/${codes[Math.floor(i / 100)]}`, {
				method: 'POST',
				headers: { origin: base, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
				body: new URLSearchParams({ display_name: name, lang: 'nl' }),
				redirect: 'manual'
			});
			if (joined.status !== 303) throw new Error(`joining answered ${joined.status}`);
			const cookie = joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
			const id = (await db.query<{ id: string }>('select id from member where display_name = $1', [name])).rows[0]!.id;
			members.push({ id, name, cookie, address });
		}
		log(`  ${members.length} members joined; ${gatherings.length} gatherings; ${options.boards} boards watching`);

		// ── Boards: socket.io clients that behave as the page does (src/lib/realtime/watch.ts and src/routes/g/[id]/Board.svelte).
		type Summary = { going: number; people_going: number; waitlist: number; maybe: number; slots: { id: string; taken: number }[] };
		const boards: { watched: number[]; live: Map<number, Summary>; loaded: Map<number, Summary>; reconnects: number; socket: Socket }[] = [];
		const freshLoad = async (g: number): Promise<Summary | null> => {
			const response = await fetch(`${base}/g/${gatherings[g]!.id}/__data.json?x-sveltekit-invalidated=11`, { signal: AbortSignal.timeout(HANG_MS) }).catch(() => null);
			if (!response?.ok) return null;
			const body = (await response.json()) as { type: string; nodes: ({ type: string; data: unknown[] } | null)[] };
			const node = body.nodes?.at(-1);
			if (!node || node.type !== 'data') return null;
			return (unflatten(node.data) as { board: { summary: Summary } }).board.summary;
		};
		for (let b = 0; b < options.boards; b++) {
			const watched = gatherings.map((_, g) => g).filter((g) => g % options.boards === b % options.boards || g === b % gatherings.length);
			const socket = io(base, { path: '/socket.io', transports: ['websocket'], reconnectionDelay: 500, reconnectionDelayMax: 2000 });
			const board = { watched, live: new Map<number, Summary>(), loaded: new Map<number, Summary>(), reconnects: 0, socket };
			let connectedBefore = false;
			socket.on('connect', () => {
				for (const g of watched) socket.emit('watch', { topic: `gathering:${gatherings[g]!.id}` });
				if (connectedBefore) {
					// As the page does on reconnect: forget the live state, load afresh.
					board.reconnects++;
					// A load that meets a busy or just-restarted server is tried again (see the README:
					// the browser client should do the same rather than stop at the error page).
					for (const g of watched) {
						board.live.delete(g);
						void (async () => {
							for (let attempt = 0; attempt < 5; attempt++) {
								const s = await freshLoad(g);
								if (s) return board.loaded.set(g, s);
								await sleep(1000);
							}
						})();
					}
				}
				connectedBefore = true;
			});
			// What the page holds per topic: the view it patches (src/lib/realtime/watch.ts).
			const held = new Map<string, NonNullable<ReturnType<typeof applyChangedEvent>>>();
			socket.on('connect', () => held.clear());
			socket.on('changed', (event: ChangedEvent | { topic: string; payload: Summary }) => {
				const g = gatherings.findIndex((x) => `gathering:${x.id}` === event.topic);
				if (g < 0) return;
				if (!('version' in event)) return void board.live.set(g, event.payload);
				const next = applyChangedEvent(held.get(event.topic), event);
				// A patch on a version this page does not hold: it asks for the whole view again.
				if (!next) return void socket.emit('watch', { topic: event.topic });
				held.set(event.topic, next);
				board.live.set(g, (next.view as { summary: Summary }).summary);
			});
			sockets.push(socket);
			boards.push(board);
			for (const g of watched) {
				const s = await freshLoad(g);
				if (s) board.loaded.set(g, s);
			}
		}

		// ── Load: every member works through their own plan of changes, one at a time, and tries
		// again (as a person would) until the server acknowledges or refuses.
		const acks: Ack[] = [];
		const attempts: { sentAt: number; doneAt: number; ok: boolean; outcome: string }[] = [];
		let friendlyNonJsRepost = 0;
		let stopping = false;
		const plans = members.map((_, m) => {
			const order = gatherings.map((_, g) => g).sort(() => Math.random() - 0.5);
			const plan: Change[] = [];
			order.forEach((g, k) => {
				const kind = Math.random() < 0.8 ? 'going' : 'maybe';
				plan.push({ member: m, gathering: g, kind, js: k % 5 !== 4 });
				if (kind === 'going' && Math.random() < 0.5) plan.push({ member: m, gathering: g, kind: 'slot', js: true });
			});
			return plan;
		});
		const send = async (change: Change): Promise<'ack' | 'refused' | 'retry'> => {
			const member = members[change.member]!;
			const g = gatherings[change.gathering]!;
			const action = change.kind === 'slot' ? 'pledgeToSlot' : 'respond';
			const fields: Record<string, string> = change.kind === 'slot' ? { slot: g.slot, quantity: '1' } : { status: change.kind, guests: '0' };
			const headers: Record<string, string> = {
				origin: base,
				'content-type': 'application/x-www-form-urlencoded',
				cookie: member.cookie,
				'x-forwarded-for': member.address,
				accept: change.js ? 'application/json' : 'text/html'
			};
			if (change.js) headers['x-sveltekit-action'] = 'true';
			const sentAt = Date.now();
			const done = (ok: boolean, outcome: string) => attempts.push({ sentAt, doneAt: Date.now(), ok, outcome });
			let response: Response;
			try {
				response = await fetch(`${base}/g/${g.id}?/${action}`, { method: 'POST', headers, body: new URLSearchParams(fields), redirect: 'manual', signal: AbortSignal.timeout(HANG_MS) });
			} catch (error) {
				done(false, (error as Error).name === 'TimeoutError' ? 'hung' : 'refused');
				return 'retry';
			}
			if (change.js) {
				const body = (await response.json().catch(() => null)) as { type?: string; status?: number; data?: string } | null;
				if (body?.type === 'success') {
					const data = parse(body.data ?? '[null]') as { status?: string } | null;
					acks.push({ ...change, told: data?.status, at: Date.now() });
					done(true, 'ack');
					return 'ack';
				}
				if (body?.type === 'failure' && body.status === 503) {
					const data = parse(body.data ?? '[null]') as { errors?: { form?: string } } | null;
					done(false, data?.errors?.form === 'error_try_again' ? 'try-again' : 'failure-503');
					return 'retry';
				}
				if (body?.type === 'failure' && body.status === 409) {
					done(false, 'refused-409');
					return 'refused';
				}
				done(false, `js-${response.status}-${body?.type ?? 'not-json'}`);
				return 'retry';
			}
			const html = await response.text().catch(() => '');
			// Done: post/redirect/get sends the browser back to the board's own address.
			if (response.status === 303 && response.headers.get('location') === `/g/${g.id}`) {
				acks.push({ ...change, at: Date.now() });
				done(true, 'ack');
				return 'ack';
			}
			if (response.status === 503 && html.includes(FRIENDLY)) {
				if (html.includes(`name="status" value="${change.kind}"`) || html.includes(`name="slot" value="${g.slot}"`)) friendlyNonJsRepost++;
				done(false, 'try-again');
				return 'retry';
			}
			if (response.status === 409) {
				done(false, 'refused-409');
				return 'refused';
			}
			done(false, `html-${response.status}`);
			return 'retry';
		};
		let ranOut = 0;
		let abandoned = 0;
		const work = async (m: number) => {
			for (const [k, change] of plans[m]!.entries()) {
				if (k === plans[m]!.length - 1) ranOut++;
				if (stopping) return;
				const giveUpAt = Date.now() + 120_000;
				for (;;) {
					const outcome = await send(change);
					if (outcome !== 'retry') break;
					if (Date.now() > giveUpAt) {
						abandoned++;
						break;
					}
					await sleep(300 + Math.random() * 300);
				}
				await sleep(options.thinkMs * (0.5 + Math.random()));
			}
		};
		const workers = members.map((_, m) => work(m));

		// ── Pages during an outage: asked for every 150 ms, as a member and as a visitor.
		const probePages = (until: () => boolean) => {
			const pages = { friendly503: 0, ok: 0, other5xx: 0, hung: 0, refused: 0 };
			const unexpected: string[] = [];
			const probe = async (cookie?: string) => {
				while (!until()) {
					const g = gatherings[Math.floor(Math.random() * gatherings.length)]!;
					try {
						const response = await fetch(`${base}/g/${g.id}`, { headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) }, signal: AbortSignal.timeout(HANG_MS) });
						const html = await response.text();
						if (response.status === 503 && html.includes(FRIENDLY) && response.headers.get('retry-after')) pages.friendly503++;
						else if (response.ok) pages.ok++;
						else {
							pages.other5xx++;
							if (unexpected.length < 5) unexpected.push(`page ${response.status}: ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 160)}`);
						}
					} catch (error) {
						if ((error as Error).name === 'TimeoutError') pages.hung++;
						else pages.refused++;
					}
					await sleep(150);
				}
			};
			const running = Promise.all([probe(members[0]!.cookie), probe()]);
			return { pages, unexpected, done: running };
		};

		const appPid = async () => {
			const tree = await treeCpuMs(server.child.pid!);
			return tree;
		};
		const waitGone = async (pid: number) => {
			for (let i = 0; i < 200; i++) {
				try {
					process.kill(pid, 0);
				} catch {
					return;
				}
				await sleep(25);
			}
			throw new Error(`process ${pid} did not go away`);
		};
		const recoveredAfter = async (t0: number, limitMs = 120_000): Promise<number | null> => {
			while (Date.now() - t0 < limitMs) {
				const first = attempts.filter((a) => a.ok && a.sentAt >= t0).sort((a, b) => a.doneAt - b.doneAt)[0];
				if (first) return first.doneAt - t0;
				await sleep(50);
			}
			return null;
		};
		const faults: FaultResult[] = [];
		/** `act` injects the fault and returns when it took effect (the process is gone). */
		const inject = async (name: string, act: () => Promise<number>) => {
			let recovered = false;
			const probes = probePages(() => recovered);
			const t0 = Date.now();
			const goneAt = await act();
			// Time to recover counts from the fault: until a sign-up sent after it took effect is acknowledged.
			const sinceGone = await recoveredAfter(goneAt);
			const recoveredMs = sinceGone === null ? null : goneAt - t0 + sinceGone;
			const injectedAt = t0;
			recovered = true;
			await probes.done;
			const during = attempts.filter((a) => a.sentAt >= t0 && a.sentAt <= injectedAt + (recoveredMs ?? 0));
			const result: FaultResult = {
				name,
				recoveredMs,
				tryAgain: during.filter((a) => a.outcome === 'try-again').length,
				pages: probes.pages,
				unexpected: [
					...probes.unexpected,
					...during.filter((a) => !a.ok && !['try-again', 'refused', 'refused-409', 'hung'].includes(a.outcome)).slice(0, 5).map((a) => `action: ${a.outcome}`),
					...during.filter((a) => a.outcome === 'hung').slice(0, 1).map(() => 'action: no answer within 10 s')
				]
			};
			faults.push(result);
			log(`  ${name}: recovered in ${recoveredMs ?? '—'} ms; pages: ${JSON.stringify(result.pages)}; "try again" answers: ${result.tryAgain}`);
		};

		await sleep(options.steadySeconds * 1000);
		await inject('PostgREST killed (SIGKILL)', async () => {
			const tree = await appPid();
			const postgrest = [...tree].find(([, p]) => p.comm === 'postgrest');
			if (!postgrest) throw new Error('no PostgREST process found');
			process.kill(postgrest[0], 'SIGKILL');
			await waitGone(postgrest[0]);
			return Date.now();
		});
		await sleep(options.steadySeconds * 1000);
		await inject('PostgreSQL stopped hard (SIGQUIT, restarted by the supervisor)', async () => {
			const pid = Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
			process.kill(pid, 'SIGQUIT');
			await waitGone(pid);
			return Date.now();
		});
		await sleep(options.steadySeconds * 1000);
		await inject('app process restarted (SIGTERM, new process on the same port)', async () => {
			const old = server;
			const slow = setTimeout(() => log(`  the app takes long to stop; its last output:\n${old.output().slice(-2000)}`), 15_000);
			await stopApp(old);
			clearTimeout(slow);
			if (!old.output().includes('Stopped.')) log(`  the app did not stop cleanly; its last output:\n${old.output().slice(-3000)}`);
			const goneAt = Date.now();
			server = await startServerProcess(env);
			outputs.push(server.output);
			return goneAt;
		});
		await sleep(options.steadySeconds * 1000);

		// ── Stop the load; let every member finish the change in hand.
		stopping = true;
		log('  stopping the load…');
		await Promise.all(workers);
		log(`  load stopped: ${attempts.length} requests, ${acks.length} acknowledged${ranOut ? `; ${ranOut} member(s) ran out of changes (more gatherings needed)` : ''}`);

		// ── Compare the acknowledged log with the rows.
		await db.end();
		db = await connect();
		const ids = gatherings.map((g) => g.id);
		const attendance = new Map(
			(await db.query<{ member_id: string; gathering_id: string; status: string }>('select member_id, gathering_id, status from attendance where gathering_id = any($1)', [ids])).rows.map((r) => [
				`${r.member_id}/${r.gathering_id}`,
				r.status
			])
		);
		const pledges = new Map(
			(await db.query<{ member_id: string; slot_id: string; quantity: number }>('select member_id, slot_id, quantity from slot_pledge where slot_id = any($1)', [gatherings.map((g) => g.slot)])).rows.map(
				(r) => [`${r.member_id}/${r.slot_id}`, r.quantity]
			)
		);
		let found = 0;
		const lostExamples: string[] = [];
		const confirmed = new Set<string>();
		for (const ack of acks) {
			const member = members[ack.member]!;
			const g = gatherings[ack.gathering]!;
			let ok: boolean;
			if (ack.kind === 'slot') {
				ok = pledges.get(`${member.id}/${g.slot}`) === 1;
				confirmed.add(`slot ${member.id}/${g.slot}`);
			} else {
				const status = attendance.get(`${member.id}/${g.id}`);
				// Nobody cancels here, so nothing moves: what the member was told is what must be stored.
				ok = ack.told ? status === ack.told : ack.kind === 'going' ? status === 'going' || status === 'waitlist' : status === ack.kind;
				confirmed.add(`${member.id}/${g.id}`);
			}
			if (ok) found++;
			else if (lostExamples.length < 10) lostExamples.push(`${member.name} ${ack.kind} on gathering ${ack.gathering} (told ${ack.told ?? 'ok'})`);
		}
		const unconfirmedRows = [...attendance.keys()].filter((k) => !confirmed.has(k)).length + [...pledges.keys()].filter((k) => !confirmed.has(`slot ${k}`)).length;

		// ── Every board catches up by itself: its last known state equals the database.
		const settleStart = Date.now();
		const truth = new Map<number, Summary>();
		for (let g = 0; g < gatherings.length; g++) {
			truth.set(g, (await db.query<{ s: Summary }>('select public.board_summary($1) as s', [gatherings[g]!.id])).rows[0]!.s);
		}
		const same = (a: Summary | undefined, b: Summary) =>
			!!a && a.going === b.going && a.waitlist === b.waitlist && a.maybe === b.maybe && JSON.stringify(a.slots.map((s) => [s.id, s.taken])) === JSON.stringify(b.slots.map((s) => [s.id, s.taken]));
		const show = (x: Summary | undefined) => (x ? `${x.going}/${x.waitlist}/${x.maybe}/${x.slots.map((s) => s.taken).join('+')}` : 'nothing');
		const staleOf = () =>
			boards.flatMap((board, b) =>
				board.watched
					.filter((g) => !same(board.live.get(g) ?? board.loaded.get(g), truth.get(g)!))
					.map(
						(g) =>
							`board ${b}, gathering ${g} (${board.socket.connected ? 'connected' : 'disconnected'}; shows ${board.live.has(g) ? 'live' : 'loaded'} ${show(board.live.get(g) ?? board.loaded.get(g))}, database ${show(truth.get(g))})`
					)
			);
		let stale = staleOf();
		while (stale.length && Date.now() - settleStart < 20_000) {
			await sleep(200);
			stale = staleOf();
		}
		const settleMs = Date.now() - settleStart;

		return {
			faults,
			acknowledged: acks.length,
			found,
			lost: acks.length - found,
			lostExamples,
			unconfirmedRows,
			boards: {
				total: boards.length,
				caughtUp: boards.filter((_, b) => !stale.some((s) => s.startsWith(`board ${b},`))).length,
				reconnects: boards.reduce((n, b) => n + b.reconnects, 0),
				settleMs,
				stale: stale.slice(0, 10)
			},
			friendlyNonJsRepost,
			serverErrors: [
				...new Set(
					outputs
						.flatMap((o) => o().split('\n'))
						.filter((l) => /error/i.test(l) && !/outage:|connection lost|Better Auth|not yet accepting|starting up|shutting down|stopped unexpectedly|did not start/.test(l))
						.map((l) => l.trim().slice(0, 200))
				)
			].slice(0, 10),
			answers: attempts.reduce<Record<string, number>>((counts, a) => ((counts[a.outcome] = (counts[a.outcome] ?? 0) + 1), counts), {}),
			abandoned
		};
	} finally {
		sockets.forEach((s) => s.disconnect());
		await db?.end().catch(() => {});
		await stopApp(server).catch(() => server.stop());
		await rm(dataDir, { recursive: true, force: true });
	}
}

export function printReport(report: FaultReport, print: (line: string) => void = console.log) {
	print('');
	print(`faults injected:       ${report.faults.length}`);
	for (const f of report.faults) {
		print(`  ${f.name}`);
		print(`    time to recover:   ${f.recoveredMs === null ? 'did not recover' : `${(f.recoveredMs / 1000).toFixed(2)} s`}`);
		print(`    during the outage: ${f.tryAgain} board actions answered "try again"; pages: ${f.pages.friendly503} friendly 503, ${f.pages.ok} ok, ${f.pages.other5xx} other errors, ${f.pages.hung} hung, ${f.pages.refused} refused (no server)`);
		for (const u of f.unexpected) print(`    unexpected: ${u}`);
	}
	print(`acknowledged changes:  ${report.acknowledged}`);
	print(`changes found:         ${report.found}`);
	print(`changes lost:          ${report.lost}${report.lost ? ` (${report.lostExamples.join('; ')})` : ''}`);
	print(`rows never acknowledged (committed, answer cut off): ${report.unconfirmedRows}`);
	print(`no-JavaScript "try again" pages that kept the form: ${report.friendlyNonJsRepost}`);
	for (const line of report.serverErrors) print(`  app logged: ${line}`);
	print(`answers:               ${Object.entries(report.answers).map(([k, n]) => `${k} ${n}`).join(', ')}${report.abandoned ? `; ${report.abandoned} change(s) given up after 2 min` : ''}`);
	print(
		`boards caught up:      ${report.boards.caughtUp} of ${report.boards.total} (${report.boards.reconnects} reconnects; settled in ${report.boards.settleMs} ms)${report.boards.stale.length ? `; stale: ${report.boards.stale.join(', ')}` : ''}`
	);
}

/** Whether the run passes: nothing lost, every fault recovered, no page hung or failed otherwise, every board caught up. */
export function passed(report: FaultReport): boolean {
	return (
		report.lost === 0 &&
		report.faults.every((f) => f.recoveredMs !== null && f.pages.other5xx === 0 && f.pages.hung === 0) &&
		report.boards.caughtUp === report.boards.total
	);
}

if (import.meta.url === `file://${process.argv[1]}`) {
	await main().catch((error: unknown) => {
		console.error(error);
		process.exit(2);
	});
}

async function main() {
	const short = process.argv.includes('--short');
	console.log(`Faults under load (${short ? 'short' : 'full'} run)`);
	const report = await runFaults(
		short
			? { members: 10, gatherings: 60, boards: 4, steadySeconds: 6, thinkMs: 400 }
			: { members: 30, gatherings: 150, boards: 12, steadySeconds: 20, thinkMs: 500 }
	);
	printReport(report);
	process.exit(passed(report) ? 0 : 1);
}
