import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'devalue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateInviteCode } from '../../src/lib/joining/invite-code.ts';
import { hashSecret } from '../../src/lib/server/auth/sealing.ts';
import { memberDataClient } from '../../src/lib/server/db/client.ts';
import { listBoardPeople } from '../../src/lib/boards/queries.server.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Capacity, waitlist order and slot quantities under concurrency through the real HTTP path:
 * form post → the built SvelteKit app in its own process (the production server, pointed at
 * this run's stack) → supabase-js → PostgREST → the SQL function. Every simulated person
 * joined through an invite link and carries their own session cookie.
 *
 * Needs `build/` (`npm test` builds first; alone: `npx vite build`).
 */
const BURST = 200;
const SECOND_WAVE = 20;
const CAPACITY = 12;
const SLOT_QUANTITY = 20;

let server: ServerProcess;
let dataDir: string;
let home: { id: string };
let host: string;
let gathering: string;
let slot: string;
/** One person per entry, in the order they joined. */
const people: { id: string; name: string; cookie: string }[] = [];

type ActionAnswer = { type: 'success' | 'failure' | 'error' | 'redirect'; status: number; data: Record<string, unknown> };

/** SvelteKit answers a `use:enhance` post with devalue's encoding; devalue itself reads it. */
function decode(data: string | undefined): Record<string, unknown> {
	return data ? (parse(data) as Record<string, unknown>) : {};
}

/** A board action as the page's enhanced form posts it. */
async function act(cookie: string, action: 'respond' | 'pledgeToSlot', fields: Record<string, string>): Promise<ActionAnswer> {
	const response = await fetch(`${server.url}/g/${gathering}?/${action}`, {
		method: 'POST',
		headers: {
			origin: server.url,
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			'content-type': 'application/x-www-form-urlencoded',
			cookie
		},
		body: new URLSearchParams(fields)
	});
	const body = (await response.json()) as { type: ActionAnswer['type']; status?: number; data?: string };
	return { type: body.type, status: body.status ?? response.status, data: decode(body.data) };
}

async function attendance() {
	const { rows } = await adminDb().query<{ member_id: string; status: string; waitlist_position: string | null; promoted_at: Date | null }>(
		`select member_id, status, waitlist_position, promoted_at from attendance where gathering_id = $1`,
		[gathering]
	);
	return rows;
}

/** The waitlist, first in line first. */
async function waitlist() {
	return (await attendance())
		.filter((r) => r.status === 'waitlist')
		.sort((a, b) => Number(a.waitlist_position) - Number(b.waitlist_position))
		.map((r) => r.member_id);
}

async function going() {
	return new Set((await attendance()).filter((r) => r.status === 'going').map((r) => r.member_id));
}

beforeAll(async () => {
	// The production server on this run's stack (no second PostgreSQL); each simulated person
	// comes from their own address, as behind a proxy, because joining is limited per address.
	dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-http-'));
	server = await startServerProcess({
		...inject('stackEnv'),
		BUURTBORD_DATA_DIR: dataDir,
		LOAD_DEMO_DATA: 'false',
		NODE_ENV: 'production',
		ADDRESS_HEADER: 'x-forwarded-for',
		// The rules are under test, not the machine's speed: a burst of 200 on a loaded 2-core
		// machine may wait for the database far longer than a person would be asked to (5 s).
		DATABASE_TIMEOUT_MS: '120000'
	});

	home = await createNeighbourhood('Drukbuurt');
	host = await createMember('Gastvrouw', home.id);
	const activity = await createActivityWithGatherings(home.id, host, [new Date(Date.now() + 7 * 86_400_000).toISOString()], 'Volle tafel');
	await adminDb().query('update activity set capacity = $2 where id = $1', [activity, CAPACITY]);
	gathering = (await adminDb().query<{ id: string }>('select id from gathering where activity_id = $1', [activity])).rows[0]!.id;
	slot = (
		await adminDb().query<{ id: string }>(
			`insert into gathering_slot (gathering_id, label, kind, quantity) values ($1, 'Stoelen', 'item', $2) returning id`,
			[gathering, SLOT_QUANTITY]
		)
	).rows[0]!.id;

	// Invites of this neighbourhood; joining is limited to 120 per code per hour, so a few.
	const total = BURST + SECOND_WAVE;
	const codes: string[] = [];
	for (let i = 0; i < Math.ceil(total / 100); i++) {
		const code = generateInviteCode();
		await adminDb().query(`insert into invite (neighbourhood_id, code_hash, code_sealed) values ($1, $2, 'sealed')`, [home.id, hashSecret(code)]);
		codes.push(code);
	}
	const joinOne = async (i: number) => {
		const name = `Buur ${String(i).padStart(3, '0')}`;
		const joined = await fetch(`${server.url}/join/${codes[Math.floor(i / 100)]}`, {
			method: 'POST',
			headers: {
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded',
				'x-forwarded-for': `10.${Math.floor(i / 250)}.${i % 250}.7`
			},
			body: new URLSearchParams({ display_name: name, lang: 'nl' }),
			redirect: 'manual'
		});
		expect(joined.status).toBe(303);
		const cookie = joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
		const { rows } = await adminDb().query<{ id: string }>('select id from member where display_name = $1', [name]);
		return { id: rows[0]!.id, name, cookie };
	};
	// A few at a time: joining is not what is measured here.
	for (let start = 0; start < total; start += 10) {
		people.push(...(await Promise.all(Array.from({ length: Math.min(10, total - start) }, (_, k) => joinOne(start + k)))));
	}
}, 300_000);

afterAll(async () => {
	await server?.stop();
	await closeAdminDb();
	if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('"I\'m coming" through the HTTP path', () => {
	it(`${BURST} at once on ${CAPACITY} places: exactly ${CAPACITY} going, the rest waiting in arrival order, each told the truth; cancellations promote strictly in order`, async () => {
		const burst = people.slice(0, BURST);
		const answers = await Promise.all(burst.map((p) => act(p.cookie, 'respond', { status: 'going', guests: '0' })));
		expect(answers.map((a) => a.type)).toEqual(burst.map(() => 'success'));

		const rows = await attendance();
		expect(rows).toHaveLength(BURST);
		expect(rows.filter((r) => r.status === 'going')).toHaveLength(CAPACITY);
		expect(rows.filter((r) => r.status === 'waitlist')).toHaveLength(BURST - CAPACITY);
		// What each person was told is what the database holds.
		const stored = new Map(rows.map((r) => [r.member_id, r.status]));
		burst.forEach((p, i) => expect(answers[i]!.data.status, p.name).toBe(stored.get(p.id)));

		// The board as the host sees it through the Data API: everyone once, the waitlist in
		// the order of its positions (drawn under the gathering's lock, i.e. arrival order).
		const board = await listBoardPeople(await memberDataClient(host), gathering);
		expect(board).toHaveLength(BURST);
		expect(new Set(board.map((p) => p.member_id)).size).toBe(BURST);
		const shownWaitlist = board.filter((p) => p.status === 'waitlist').map((p) => p.member_id);
		const firstInLine = await waitlist();
		expect(shownWaitlist).toEqual(firstInLine);

		// Arrival order that the test itself can vouch for: a second wave, sent only after the
		// burst was answered, queues behind everyone from the burst.
		const wave = people.slice(BURST, BURST + SECOND_WAVE);
		const waveAnswers = await Promise.all(wave.map((p) => act(p.cookie, 'respond', { status: 'going', guests: '0' })));
		expect(waveAnswers.map((a) => a.data.status)).toEqual(wave.map(() => 'waitlist'));
		const line = await waitlist();
		expect(line.slice(0, firstInLine.length)).toEqual(firstInLine);
		expect(new Set(line.slice(firstInLine.length))).toEqual(new Set(wave.map((p) => p.id)));

		// Five going people cancel at once: exactly the first five in line move up.
		const goingNow = [...(await going())];
		const leavers = goingNow.slice(0, 5).map((id) => people.find((p) => p.id === id)!);
		const cancelled = await Promise.all(leavers.map((p) => act(p.cookie, 'respond', { status: 'not_going', guests: '0' })));
		expect(cancelled.map((a) => a.data.status)).toEqual(leavers.map(() => 'not_going'));
		const afterFive = await going();
		expect(afterFive.size).toBe(CAPACITY);
		for (const id of line.slice(0, 5)) expect(afterFive.has(id)).toBe(true);
		expect(await waitlist()).toEqual(line.slice(5));

		// One at a time, as people drop out through the evening: each time the head of the line.
		// Someone waiting who drops out frees no seat and moves nobody up.
		const headBefore = (await waitlist())[0]!;
		const waitingLeaver = people.find((p) => p.id === line[10])!;
		await act(waitingLeaver.cookie, 'respond', { status: 'not_going', guests: '0' });
		expect((await going()).has(headBefore)).toBe(false);
		expect(await waitlist()).toEqual(line.slice(5).filter((id) => id !== waitingLeaver.id));
		for (let round = 0; round < 3; round++) {
			const [expected, ...rest] = await waitlist();
			// One of the first twelve (never promoted), so the promotions counted below all stay.
			const someoneGoing = [...(await going())].find((id) => goingNow.includes(id));
			const leaver = people.find((p) => p.id === someoneGoing)!;
			await act(leaver.cookie, 'respond', { status: 'not_going', guests: '0' });
			const now = await going();
			expect(now.size).toBe(CAPACITY);
			expect(now.has(expected!)).toBe(true);
			expect(await waitlist()).toEqual(rest);
		}
		const promoted = (await attendance()).filter((r) => r.promoted_at !== null);
		expect(promoted).toHaveLength(8);
	}, 300_000);
});

describe('slot quantities through the HTTP path', () => {
	it(`${BURST + SECOND_WAVE} people reaching for ${SLOT_QUANTITY} chairs at once: never over-taken, everyone else hears it is full`, async () => {
		const answers = await Promise.all(people.map((p) => act(p.cookie, 'pledgeToSlot', { slot, quantity: '1' })));
		const taken = answers.filter((a) => a.type === 'success');
		const refused = answers.filter((a) => a.type === 'failure');
		expect(taken).toHaveLength(SLOT_QUANTITY);
		expect(refused).toHaveLength(people.length - SLOT_QUANTITY);
		for (const answer of refused) {
			expect(answer.status).toBe(409);
			expect(answer.data.errors).toEqual({ form: 'error_slot_full' });
		}
		const pledges = async () =>
			(await adminDb().query<{ member_id: string; quantity: number }>('select member_id, quantity from slot_pledge where slot_id = $1', [slot])).rows;
		const holders = new Set((await pledges()).map((p) => p.member_id));
		expect(holders).toEqual(new Set(people.filter((_, i) => answers[i]!.type === 'success').map((p) => p.id)));

		// Five give theirs back while forty others reach for more at once: still never over.
		const givers = people.filter((p) => holders.has(p.id)).slice(0, 5);
		const reachers = people.filter((p) => !holders.has(p.id)).slice(0, 40);
		const mixed = await Promise.all([
			...givers.map((p) => act(p.cookie, 'pledgeToSlot', { slot, quantity: '0' })),
			...reachers.map((p) => act(p.cookie, 'pledgeToSlot', { slot, quantity: '2' }))
		]);
		expect(mixed.slice(0, givers.length).map((a) => a.type)).toEqual(givers.map(() => 'success'));
		const after = await pledges();
		const total = after.reduce((sum, p) => sum + p.quantity, 0);
		expect(total).toBeLessThanOrEqual(SLOT_QUANTITY);
		const reachersTold = mixed.slice(givers.length);
		expect(after.filter((p) => p.quantity === 2).length).toBe(reachersTold.filter((a) => a.type === 'success').length);
		for (const answer of reachersTold.filter((a) => a.type !== 'success')) expect(answer.data.errors).toEqual({ form: 'error_slot_full' });
	}, 300_000);
});
