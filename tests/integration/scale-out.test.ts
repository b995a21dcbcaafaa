import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScaleOut, type ScaleOut } from '../support/scale-out.ts';
import { followBoard } from '../support/board-views.ts';
import { STICKY_COOKIE } from '../support/sticky-proxy.ts';

/**
 * Two instances of the built app on one database behind a sticky proxy, set up as
 * `npm run scale-out` does (instance B on A's database and Data API, as on Supabase).
 * Browser-like clients are pinned to an instance by the proxy's cookie.
 *
 * Needs `build/` (`npm test` builds first; alone: `npx vite build`).
 */
let setUp: ScaleOut;
let dataDir: string;
let proxy: string;
let gatheringId: string;
const topic = () => `gathering:${gatheringId}`;
const pin = (instance: number) => `${STICKY_COOKIE}=${instance}`;
const sockets: Socket[] = [];

beforeAll(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-scale-out-'));
	setUp = await startScaleOut({ dataDir });
	proxy = setUp.proxy.url;
	const db = new pg.Client({ connectionString: setUp.databaseUrl });
	await db.connect();
	gatheringId = (
		await db.query(`select g.id from gathering g join activity a on a.id = g.activity_id where a.title = 'Dinsdagdiner' and g.starts_at > now() order by g.starts_at limit 1`)
	).rows[0].id;
	await db.end();
}, 180_000);

afterAll(async () => {
	sockets.forEach((s) => s.disconnect());
	await setUp?.stop();
	if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = (cookie: string) => ({ origin: proxy, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie });
const cookiesOf = (response: Response) => response.headers.getSetCookie().map((c) => c.split(';')[0]!);

/** A newcomer joins the demo neighbourhood through the proxy, pinned to `instance`; returns their cookies (with the pin). */
async function joinThrough(instance: number, name: string): Promise<string> {
	const joined = await fetch(`${proxy}/join/${setUp.inviteCode}`, {
		method: 'POST',
		headers: formHeaders(pin(instance)),
		body: form({ display_name: name, lang: 'nl' }),
		redirect: 'manual'
	});
	expect(joined.status).toBe(303);
	return [pin(instance), ...cookiesOf(joined)].join('; ');
}

/** Signs up for the board through the proxy, as a browser without JavaScript would. */
async function signUp(cookie: string) {
	const answer = await fetch(`${proxy}/g/${gatheringId}?/respond`, {
		method: 'POST',
		headers: formHeaders(cookie),
		body: form({ status: 'going', guests: '0' }),
		redirect: 'manual'
	});
	// Post/redirect/get: back to the board's clean address.
	expect(answer.status).toBe(303);
	expect(answer.headers.get('location')).toBe(`/g/${gatheringId}`);
}

/** A board page's socket through the proxy, pinned to `instance`, watching the gathering. */
async function openBoard(instance: number, transports: ('polling' | 'websocket')[]) {
	const socket = connect(proxy, { path: '/socket.io', transports, reconnection: false, extraHeaders: { cookie: pin(instance) } });
	sockets.push(socket);
	const changes: number[] = [];
	const looking: number[] = [];
	const board = followBoard(socket, topic());
	socket.on('changed', () => queueMicrotask(() => {
		const going = board.latest()?.summary.going;
		if (going !== undefined && going !== changes.at(-1)) changes.push(going);
	}));
	socket.on('presence', (event: { looking: number }) => looking.push(event.looking));
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	const ack = await new Promise<{ ok: boolean }>((resolve) => socket.emit('watch', { topic: topic() }, resolve));
	expect(ack.ok).toBe(true);
	return { socket, changes, looking };
}

async function until(what: string, check: () => boolean, ms = 10_000) {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((done) => setTimeout(done, 50));
	}
}

/** One raw engine.io request through the proxy (socket.io's long-polling transport). */
function poll(method: 'GET' | 'POST', query: string, cookie: string, body?: string, localAddress?: string) {
	return new Promise<{ status: number; body: string; setCookie: string[] }>((resolve, reject) => {
		const url = new URL(`${proxy}/socket.io/?EIO=4&transport=polling${query}`);
		const req = request(
			{ host: url.hostname, port: url.port, path: url.pathname + url.search, method, localAddress, headers: { cookie, 'content-type': 'text/plain;charset=UTF-8' } },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode!, body: text, setCookie: ([] as string[]).concat(res.headers['set-cookie'] ?? []) }));
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

describe('two instances behind a sticky proxy', () => {
	it('keeps a long-polling connection on the instance that made it, and pinned clients on different instances', async () => {
		for (const [home, other] of [
			[0, 1],
			[1, 0]
		] as const) {
			const handshake = await poll('GET', '', pin(home));
			expect(handshake.status).toBe(200);
			const sid = (JSON.parse(handshake.body.slice(1)) as { sid: string }).sid;
			// The instance that made the connection knows it; the other refuses it.
			expect((await poll('POST', `&sid=${sid}`, pin(home), '40')).status).toBe(200);
			const elsewhere = await poll('POST', `&sid=${sid}`, pin(other), '40');
			expect(elsewhere.status).toBe(400);
			expect(elsewhere.body).toContain('Session ID unknown');
		}
	});

	it('sticks a client without the cookie to one instance by its address, and gives it the cookie', async () => {
		const chosen = new Map<string, number>();
		for (let i = 1; i <= 12; i++) {
			const address = `127.0.0.${i}`;
			const [first, second] = [await poll('GET', '', '', undefined, address), await poll('GET', '', '', undefined, address)];
			const instanceOf = (answer: { setCookie: string[] }) => Number(new RegExp(`${STICKY_COOKIE}=(\\d)`).exec(answer.setCookie.join(';'))![1]);
			expect(instanceOf(second)).toBe(instanceOf(first));
			chosen.set(address, instanceOf(first));
		}
		expect(new Set(chosen.values())).toEqual(new Set([0, 1]));
	});

	it('a board open on either instance hears a sign-up made through the other, and counts everyone looking', async () => {
		// On A over a websocket; on B as socket.io starts by default: long-polling, then upgrade.
		const onA = await openBoard(0, ['websocket']);
		const onB = await openBoard(1, ['polling', 'websocket']);
		await until('presence 2 on both', () => onA.looking.at(-1) === 2 && onB.looking.at(-1) === 2);

		const sam = await joinThrough(0, 'Sam');
		const noor = await joinThrough(1, 'Noor');
		// Sam joined through A but signs up through B; Noor the other way round.
		await signUp(sam.replace(pin(0), pin(1)));
		await until('the first sign-up on both boards', () => onA.changes.includes(1) && onB.changes.includes(1));
		await signUp(noor.replace(pin(1), pin(0)));
		await until('the second sign-up on both boards', () => onA.changes.includes(2) && onB.changes.includes(2));

		// Both instances' pages show the same board.
		for (const instance of [0, 1]) {
			const page = await (await fetch(`${proxy}/g/${gatheringId}`, { headers: { cookie: pin(instance) } })).text();
			expect(page).toContain('2 van de 14 plaatsen zijn bezet');
		}

		onB.socket.disconnect();
		await until('presence 1 on A', () => onA.looking.at(-1) === 1);
		onA.socket.disconnect();
	});

	it('a session made on one instance is valid on the other, and ends on both', async () => {
		const cookie = await joinThrough(0, 'Ilse');
		const onB = await fetch(`${proxy}/me`, { headers: { cookie: cookie.replace(pin(0), pin(1)) }, redirect: 'manual' });
		expect(onB.status).toBe(200);
		expect(await onB.text()).toContain('Ilse');

		const signedOut = await fetch(`${proxy}/sign-out`, { method: 'POST', headers: formHeaders(cookie.replace(pin(0), pin(1))), body: '', redirect: 'manual' });
		expect(signedOut.status).toBe(303);
		const onA = await fetch(`${proxy}/me`, { headers: { cookie }, redirect: 'manual' });
		expect(onA.status).toBe(303);
		expect(onA.headers.get('location')).toBe('/sign-in');
	});

	it('counts rate limits across instances', async () => {
		// Three e-mail sign-in links per address per hour, whichever instance is asked.
		const ask = (instance: number) =>
			fetch(`${proxy}/sign-in`, { method: 'POST', headers: formHeaders(pin(instance)), body: form({ email: 'wim@example.org' }), redirect: 'manual' });
		// Sent: post/redirect/get back to the sign-in page, which then says so.
		for (const instance of [0, 1, 0]) expect((await ask(instance)).status).toBe(303);
		expect((await ask(1)).status).toBe(429);
		expect((await ask(0)).status).toBe(429);
	});
});
