import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BoardChange } from '../../src/lib/boards/board-change.ts';
import type { ChangedEvent } from '../../src/lib/realtime/view-patch.ts';
import { boardAudienceViews, listBoardPeople, listPledges, boardSummary } from '../../src/lib/boards/queries.server.ts';
import { boardHelp } from '../../src/lib/help/queries.server.ts';
import { gatheringNeeds } from '../../src/lib/offers/offers.server.ts';
import { generateInviteCode } from '../../src/lib/joining/invite-code.ts';
import { topic } from '../../src/lib/realtime/events.ts';
import { VIEW_SPACING_MS } from '../../src/lib/realtime/audiences.server.ts';
import { hashSecret } from '../../src/lib/server/auth/sealing.ts';
import { anonDataClient, memberDataClient, serviceDataClient } from '../../src/lib/server/db/client.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { followBoard } from '../support/board-views.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Every change to what a board shows reaches its open copies — announced by the database
 * itself, so even a change made with plain SQL does — and each viewer receives the view of
 * their audience: visitors counts only, people on the board names, those who run it also the
 * first-time marks and every request for help. The built app in its own process, real
 * sockets with real session cookies. Needs `build/` (`npm test` builds first).
 */
let server: ServerProcess;
let dataDir: string;
const sockets: Socket[] = [];
let home: { id: string };
let activity: string;
let gathering: string;
let code: string;
let address = 0;

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const headers = (cookie: string) => ({
	origin: server.url,
	accept: 'text/html',
	'content-type': 'application/x-www-form-urlencoded',
	'x-forwarded-for': `10.8.${Math.floor(address / 250)}.${(address++ % 250) + 1}`,
	cookie
});

async function joinAs(name: string) {
	const joined = await fetch(`${server.url}/join/${code}`, { method: 'POST', headers: headers(''), body: form({ display_name: name, lang: 'nl' }), redirect: 'manual' });
	expect(joined.status).toBe(303);
	const cookie = joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
	const { rows } = await adminDb().query<{ id: string }>('select id from member where display_name = $1', [name]);
	return { id: rows[0]!.id, name, cookie };
}

async function respond(cookie: string, status: 'going' | 'maybe' | 'not_going') {
	const answer = await fetch(`${server.url}/g/${gathering}?/respond`, { method: 'POST', headers: headers(cookie), body: form({ status, guests: '0' }), redirect: 'manual' });
	// Post/redirect/get: back to the board's clean address.
	expect(answer.status).toBe(303);
}

interface Viewer {
	socket: Socket;
	seen: BoardChange[];
	events: ChangedEvent[];
	latest: () => BoardChange | undefined;
}

/** A board page's socket (with the person's session cookie, or none for a visitor) watching the gathering. */
async function openBoard(cookie?: string): Promise<Viewer> {
	const socket = connect(server.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, extraHeaders: cookie ? { cookie } : {} });
	sockets.push(socket);
	const { seen, latest, events } = followBoard(socket, topic.gathering(gathering));
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	expect(await new Promise<{ ok: boolean }>((resolve) => socket.emit('watch', { topic: topic.gathering(gathering) }, resolve))).toEqual({ ok: true });
	return { socket, seen, latest, events };
}

async function until(what: string, check: () => boolean, ms = 10_000) {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((done) => setTimeout(done, 25));
	}
}

/** Waits until every viewer's latest view passes `check`. */
async function everyone(what: string, viewers: Viewer[], check: (change: BoardChange) => boolean) {
	await until(what, () => viewers.every((v) => {
		const last = v.latest();
		return last !== undefined && check(last);
	}));
}

let visitor: Viewer;
let outsider: Viewer;
let onBoard: Viewer;
let runner: Viewer;
let people: Record<'bo' | 'cas' | 'rita' | 'olga', { id: string; name: string; cookie: string }>;

beforeAll(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-audiences-'));
	server = await startServerProcess({ ...inject('stackEnv'), BUURTBORD_DATA_DIR: dataDir, LOAD_DEMO_DATA: 'false', NODE_ENV: 'production', ADDRESS_HEADER: 'x-forwarded-for' });
	home = await createNeighbourhood('Publiekbuurt');
	const founder = await createMember('Stichter', home.id);
	activity = await createActivityWithGatherings(home.id, founder, [new Date(Date.now() + 6 * 86_400_000).toISOString()], 'Publiekdiner');
	await adminDb().query('update activity set capacity = 3 where id = $1', [activity]);
	gathering = (await adminDb().query<{ id: string }>('select id from gathering where activity_id = $1', [activity])).rows[0]!.id;
	code = generateInviteCode();
	await adminDb().query(`insert into invite (neighbourhood_id, code_hash, code_sealed) values ($1, $2, 'sealed')`, [home.id, hashSecret(code)]);
	people = { bo: await joinAs('Bo Bordlid'), cas: await joinAs('Cas Comer'), rita: await joinAs('Rita Runner'), olga: await joinAs('Olga Outsider') };
	await adminDb().query('insert into activity_host (activity_id, member_id) values ($1, $2)', [activity, people.rita.id]);
	await respond(people.bo.cookie, 'going');
	visitor = await openBoard();
	outsider = await openBoard(people.olga.cookie);
	onBoard = await openBoard(people.bo.cookie);
	runner = await openBoard(people.rita.cookie);
}, 120_000);

afterAll(async () => {
	sockets.forEach((s) => s.disconnect());
	await server?.stop();
	await closeAdminDb();
	await rm(dataDir, { recursive: true, force: true });
});

const names = () => Object.values(people).map((p) => p.name);
const all = () => [visitor, outsider, onBoard, runner];

describe('open boards per audience', () => {
	it('sends each viewer the view of their audience as soon as they watch', async () => {
		await everyone('a first view', all(), () => true);
		expect(visitor.latest()!.audience).toBe('public');
		expect(outsider.latest()!.audience).toBe('public');
		expect(onBoard.latest()!.audience).toBe('board');
		expect(runner.latest()!.audience).toBe('runners');
		expect(onBoard.latest()!.people!.map((p) => p.name)).toEqual(['Bo Bordlid']);
		expect(runner.latest()!.people![0]).toMatchObject({ name: 'Bo Bordlid' });
		expect(runner.latest()!.first_timers).toEqual([runner.latest()!.people![0]!.key]);
	});

	it('tells every audience of a sign-up through the app, with names only for those who may see them', async () => {
		const before = onBoard.events.length;
		await respond(people.cas.cookie, 'going');
		await everyone('Cas counted', all(), (c) => c.summary.going === 2);
		// What travelled is a patch: the counts and the one new name, not the whole board.
		const patches = onBoard.events.slice(before).filter((e) => 'patch' in e);
		expect(patches.length).toBeGreaterThan(0);
		const upserted = patches.flatMap((e) => ('patch' in e ? (e.patch.lists.people?.upserted ?? []) : []));
		expect(upserted.map((p) => (p as unknown as { name: string }).name)).toEqual(['Cas Comer']);
		expect(onBoard.latest()!.people!.map((p) => p.name)).toEqual(['Bo Bordlid', 'Cas Comer']);
		expect(onBoard.latest()!).not.toHaveProperty('first_timers');
		expect(runner.latest()!.first_timers).toEqual(runner.latest()!.people!.map((p) => p.key));
	});

	it('moves people to the waitlist on a capacity cut made in plain SQL, and every board shows it', async () => {
		await adminDb().query('update activity set capacity = 1 where id = $1', [activity]);
		await everyone('the cut', all(), (c) => c.summary.capacity === 1 && c.summary.going === 1 && c.summary.waitlist === 1);
		expect(onBoard.latest()!.people!.find((p) => p.name === 'Cas Comer')).toMatchObject({ status: 'waitlist', demoted: true });
		await adminDb().query('update activity set capacity = 3 where id = $1', [activity]);
		await everyone('room again', all(), (c) => c.summary.going === 2 && c.summary.waitlist === 0);
	});

	it('shows a slot taken, a name changed, help asked, and the date moved and cancelled', async () => {
		const slot = (await adminDb().query<{ id: string }>('select id from gathering_slot where gathering_id = $1 order by position limit 1', [gathering])).rows[0]!.id;
		await adminDb().query('insert into slot_pledge (slot_id, member_id, quantity) values ($1, $2, 1)', [slot, people.bo.id]);
		await everyone('the slot', all(), (c) => c.summary.slots.find((s) => s.id === slot)!.taken === 1);
		expect(onBoard.latest()!.pledges).toMatchObject([{ slot_id: slot, member_id: people.bo.id, name: 'Bo Bordlid', quantity: 1 }]);
		// A need made from the slot, pledged from outside the board: the slot counts it.
		const { rows: needs } = await adminDb().query<{ id: string }>(
			`insert into need (activity_id, gathering_id, slot_id, kind, title, quantity, created_by) values ($1, $2, $3, 'hands', 'Koken', 1, $4) returning id`,
			[activity, gathering, slot, people.rita.id]
		);
		await adminDb().query(`insert into pledge (need_id, member_id, quantity) values ($1, $2, 1)`, [needs[0]!.id, people.olga.id]);
		await everyone('the slot filled from a need', all(), (c) => c.summary.slots.find((s) => s.id === slot)!.taken === 2);
		// The need itself shows on every open page; how many pledges wait is for those who run it.
		await adminDb().query('update need set pledged = 1 where id = $1', [needs[0]!.id]);
		await everyone('the need on the page', all(), (c) => c.needs.some((n) => n.id === needs[0]!.id && n.pledged === 1 && n.slot_id === slot));
		expect(runner.latest()!.needs_waiting).toEqual([{ id: needs[0]!.id, waiting: 1 }]);
		expect(onBoard.latest()!).not.toHaveProperty('needs_waiting');
		// The host accepts the pledge: the figures stay, the answer is counted for every page (its
		// giver's fetches their own pledge again, need-change.ts), and nobody waits any more.
		await adminDb().query(`update pledge set status = 'accepted', decided_at = now() where need_id = $1`, [needs[0]!.id]);
		await everyone('the pledge answered', all(), (c) => c.needs.some((n) => n.id === needs[0]!.id && n.pledged === 1 && n.pledge_answers === 1));
		expect(runner.latest()!.needs_waiting).toEqual([{ id: needs[0]!.id, waiting: 0 }]);
		// Counted by the database alone: not even a host may set it.
		const client = await adminDb().connect();
		try {
			await client.query('begin');
			await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: people.rita.id, role: 'authenticated' })]);
			await client.query('set local role authenticated');
			await expect(client.query('update need set pledge_answers = 9 where id = $1', [needs[0]!.id])).rejects.toThrow(/permission denied/);
		} finally {
			await client.query('rollback');
			client.release();
		}
		await adminDb().query(`update need set status = 'closed' where id = $1`, [needs[0]!.id]);
		await everyone('the need closed', all(), (c) => c.needs.length === 0);

		await adminDb().query(`update member set display_name = 'Bo Bakker' where id = $1`, [people.bo.id]);
		people.bo.name = 'Bo Bakker';
		await everyone('the new name', [onBoard, runner], (c) => c.people!.some((p) => p.name === 'Bo Bakker'));

		await adminDb().query(`insert into help_request (gathering_id, member_id, kind, people, note) values ($1, $2, 'ride', 1, 'Bij de kerk')`, [gathering, people.cas.id]);
		await everyone('help asked', all(), (c) => c.help_counts.find((k) => k.kind === 'ride')!.asked === 1);
		expect(runner.latest()!.help!.asks).toMatchObject([{ member_id: people.cas.id, name: 'Cas Comer', note: 'Bij de kerk' }]);

		const later = new Date(Date.now() + 8 * 86_400_000);
		await adminDb().query(`update gathering set starts_at = $2, ends_at = $2::timestamptz + interval '2 hours' where id = $1`, [gathering, later]);
		await everyone('the move', all(), (c) => Date.parse(c.gathering.starts_at) === later.getTime() && c.gathering.sequence > 0);
		await adminDb().query(`update gathering set status = 'cancelled', cancellation_reason = 'Storm' where id = $1`, [gathering]);
		await everyone('the cancellation', all(), (c) => c.gathering.status === 'cancelled' && c.gathering.cancellation_reason === 'Storm');
		await adminDb().query(`update gathering set status = 'scheduled', cancellation_reason = null where id = $1`, [gathering]);
		await everyone('the date back', all(), (c) => c.gathering.status === 'scheduled');
	});

	it('moves a viewer between audiences when they join or leave the board', async () => {
		await respond(people.olga.cookie, 'maybe');
		await until('Olga on the board', () => outsider.latest()?.audience === 'board');
		await respond(people.olga.cookie, 'not_going');
		await until('Olga off the board', () => outsider.latest()?.audience === 'public');
		// Made coordinator of the neighbourhood, she runs its activities: her open board follows.
		await adminDb().query(`update neighbourhood_member set role = 'coordinator' where neighbourhood_id = $1 and member_id = $2`, [home.id, people.olga.id]);
		await until('Olga running it', () => outsider.latest()?.audience === 'runners');
		await adminDb().query(`update neighbourhood_member set role = 'member' where neighbourhood_id = $1 and member_id = $2`, [home.id, people.olga.id]);
		await until('Olga a visitor again', () => outsider.latest()?.audience === 'public');
	});

	it('coalesces a burst: forty changes in a row cost a few views, and the last state arrives', async () => {
		const before = visitor.seen.length;
		const began = Date.now();
		for (let i = 0; i < 40; i++) {
			await adminDb().query(`update attendance set guests = $3 where gathering_id = $1 and member_id = $2`, [gathering, people.bo.id, i % 3]);
		}
		await adminDb().query(`update attendance set guests = 2 where gathering_id = $1 and member_id = $2`, [gathering, people.bo.id]);
		const took = Date.now() - began;
		await everyone('the last state', all(), (c) => c.summary.going === 4);
		await new Promise((done) => setTimeout(done, 500));
		const views = visitor.seen.length - before;
		// One view at once, then at most one per VIEW_SPACING_MS while the burst lasts, and one after it.
		expect(views, `${views} views for 41 changes in ${took} ms`).toBeLessThanOrEqual(Math.ceil(took / VIEW_SPACING_MS) + 3);
		expect(visitor.latest()!.summary.going).toBe(4);
	});

	it('never sends a visitor or an outsider a name, nor anyone but those who run it a first-time mark or others’ help', () => {
		for (const viewer of [visitor, outsider]) {
			for (const change of viewer.seen.filter((c) => c.audience === 'public')) {
				const text = JSON.stringify(change);
				for (const name of [...names(), 'Bo Bordlid']) expect(text).not.toContain(name);
				expect(change).not.toHaveProperty('people');
				expect(change).not.toHaveProperty('help');
			}
		}
		for (const change of onBoard.seen) {
			expect(change.audience).toBe('board');
			expect(JSON.stringify(change)).not.toContain('first_time');
			expect(change).not.toHaveProperty('help');
			expect(JSON.stringify(change)).not.toContain('Bij de kerk');
		}
	});
});

describe('what each audience gets matches what row-level security gives them', () => {
	it('as the same person would read it through the Data API', async () => {
		// An open need of the whole activity shows on this date's page too.
		await adminDb().query(`insert into need (activity_id, kind, title, quantity, created_by) values ($1, 'materials', 'Pannen', 3, $2)`, [activity, people.rita.id]);
		const parts = (await boardAudienceViews(serviceDataClient(), gathering))!;
		const anon = anonDataClient();
		expect(parts.public.needs.map((n) => n.title)).toEqual(['Pannen']);
		expect(parts.public.summary).toEqual(await boardSummary(anon, gathering));
		expect(parts.public.help_counts).toEqual((await boardHelp(anon, gathering)).counts);
		expect(parts.public.needs.map((n) => [n.id, n.pledged, n.quantity])).toEqual(
			(await gatheringNeeds(anon, { id: gathering, activity_id: activity }, null)).map((n) => [n.id, n.pledged, n.quantity])
		);

		// A person on the board: the same people, statuses, guests and names, and the same pledges.
		const bo = await memberDataClient(people.bo.id);
		const seenByBo = await listBoardPeople(bo, gathering);
		expect(parts.board.people.map((p) => [p.member_id, p.name, p.status, p.guests, p.promoted, p.demoted])).toEqual(
			seenByBo.map((p) => [p.member_id, p.member?.display_name ?? null, p.status, p.guests, Boolean(p.promoted_at), Boolean(p.demoted_at)])
		);
		const pledgesByBo = await listPledges(bo, parts.public.summary.slots.map((s) => s.id));
		expect(parts.board.pledges.map((p) => [p.slot_id, p.member_id, p.name, p.quantity])).toEqual(
			pledgesByBo.map((p) => [p.slot_id, p.member_id, p.member?.display_name ?? null, p.quantity])
		);
		// Someone not on it reads no names at all.
		expect(await listBoardPeople(await memberDataClient(people.olga.id), gathering)).toEqual([]);
		expect(parts.board_members).not.toContain(people.olga.id);

		// Those who run it: first-time marks and every request for help, as board_help gives them.
		const rita = await memberDataClient(people.rita.id);
		const firstTimers = new Set(parts.runners.first_timers);
		expect(parts.board.people.map((p) => [p.member_id, firstTimers.has(p.key)])).toEqual((await listBoardPeople(rita, gathering)).map((p) => [p.member_id, p.first_time]));
		const help = await boardHelp(rita, gathering);
		expect(parts.runners.help.asks.map((a) => [a.member_id, a.kind, a.people, a.note, a.name, a.helper])).toEqual(
			help.asks.map((a) => [a.member_id, a.kind, a.people, a.note, a.name, a.helper])
		);
		expect(parts.runner_members).toContain(people.rita.id);
	});
});
