import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateInviteCode } from '../../src/lib/joining/invite-code.ts';
import { hashSecret } from '../../src/lib/server/auth/sealing.ts';
import { freePort } from '../../src/lib/server/stack/free-port.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { adminDb, closeAdminDb, createNeighbourhood } from './fixtures.ts';

/**
 * Web security of the built app, run as people run it (`tsx src/server.ts` over `build/`, on
 * this run's stack): headers on pages, files and feeds; the flags of the cookies joining sets;
 * posts and socket handshakes from another site refused. Two servers: one on its default
 * http ORIGIN, one whose public URL is https (as behind a TLS proxy).
 *
 * Needs `build/` (`npm test` builds first; alone: `npx vite build`).
 */
const HTTPS_ORIGIN = 'https://buurtbord.test';
const EVIL = 'https://evil.example';

let plain: ServerProcess;
let secure: ServerProcess;
const dirs: string[] = [];
let slug: string;
const codes: string[] = [];

async function server(env: Record<string, string>) {
	const dir = await mkdtemp(join(tmpdir(), 'buurtbord-sec-'));
	dirs.push(dir);
	return startServerProcess({ ...inject('stackEnv'), BUURTBORD_DATA_DIR: dir, LOAD_DEMO_DATA: 'false', NODE_ENV: 'production', ADDRESS_HEADER: 'x-forwarded-for', ...env });
}

/** Joins through an invite as a newcomer; returns the answer (its Set-Cookie headers). */
function joinAs(base: string, origin: string, code: string, name: string) {
	return fetch(`${base}/join/${code}`, {
		method: 'POST',
		headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
		body: new URLSearchParams({ display_name: name, lang: 'nl' }),
		redirect: 'manual'
	});
}

/** Set-Cookie lines by cookie name, attributes lower-cased. */
function cookiesOf(response: Response) {
	return new Map(
		response.headers.getSetCookie().map((line) => {
			const [pair, ...attributes] = line.split(';').map((part) => part.trim());
			return [pair!.split('=')[0]!, { value: pair!.slice(pair!.indexOf('=') + 1), attributes: attributes.map((a) => a.toLowerCase()) }];
		})
	);
}

beforeAll(async () => {
	const home = await createNeighbourhood('Veilige buurt');
	slug = home.slug;
	for (let i = 0; i < 3; i++) {
		const code = generateInviteCode();
		await adminDb().query(`insert into invite (neighbourhood_id, code_hash, code_sealed) values ($1, $2, 'sealed')`, [home.id, hashSecret(code)]);
		codes.push(code);
	}
	// The https one is reached directly on its port, as a TLS proxy would (its banner names ORIGIN).
	const port = await freePort();
	[plain, secure] = await Promise.all([server({}), server({ ORIGIN: HTTPS_ORIGIN, PORT: String(port) })]);
	secure.url = `http://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
	await Promise.all([plain?.stop(), secure?.stop()]);
	await closeAdminDb();
	await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('security headers', () => {
	const common = (response: Response) => {
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
		expect(response.headers.get('permissions-policy')).toContain('camera=()');
		expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
	};

	it('pages carry a strict policy with a fresh nonce for their one inline script', async () => {
		const [first, second] = await Promise.all([fetch(`${plain.url}/`), fetch(`${plain.url}/`)]);
		common(first);
		expect(first.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		const csp = first.headers.get('content-security-policy')!;
		expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
		for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "connect-src 'self'"]) expect(csp).toContain(directive);
		expect(csp).not.toContain('unsafe-inline');
		expect(csp).not.toContain('unsafe-eval');
		const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
		expect(await first.text()).toContain(`nonce="${nonce}"`);
		expect(second.headers.get('content-security-policy')).not.toContain(nonce);
		// Only where the public URL is https.
		expect(first.headers.get('strict-transport-security')).toBeNull();
	});

	it('static files, the service worker, built assets and feeds carry them too', async () => {
		const assets = await readdir('build/client/_app/immutable/entry');
		for (const path of ['/favicon.svg', '/offline.html', '/offline.css', '/manifest.webmanifest', '/service-worker.js', `/_app/immutable/entry/${assets[0]}`, '/healthz']) {
			const response = await fetch(`${plain.url}${path}`);
			expect(response.status, path).toBe(200);
			common(response);
			expect(response.headers.get('content-security-policy'), path).not.toContain('unsafe');
		}
		const offline = await (await fetch(`${plain.url}/offline.html`)).text();
		expect(offline, 'the offline page keeps to its policy: no inline style or script').not.toMatch(/<style|<script|style=/);
	});

	it('calendar feeds still answer as calendar apps expect', async () => {
		const feed = await fetch(`${plain.url}/feeds/neighbourhood/${slug}.ics`);
		expect(feed.status).toBe(200);
		expect(feed.headers.get('content-type')).toContain('text/calendar');
		common(feed);
		expect(await feed.text()).toMatch(/^BEGIN:VCALENDAR/);
		const again = await fetch(`${plain.url}/feeds/neighbourhood/${slug}.ics`, { headers: { 'if-none-match': feed.headers.get('etag')! } });
		expect(again.status).toBe(304);
	});

	it('pages, page data and feeds come compressed as the browser asks, and plain to one that does not', async () => {
		for (const [path, type] of [
			['/', 'text/html'],
			[`/n/${slug}/__data.json`, 'application/json'],
			[`/feeds/neighbourhood/${slug}.ics`, 'text/calendar']
		] as const) {
			const plainText = await fetch(`${plain.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
			expect(plainText.headers.get('content-encoding'), path).toBeNull();
			const body = await plainText.text();
			for (const encoding of ['br', 'gzip']) {
				const packed = await fetch(`${plain.url}${path}`, { headers: { 'accept-encoding': encoding } });
				expect(packed.status, path).toBe(200);
				expect(packed.headers.get('content-encoding'), `${path} ${encoding}`).toBe(encoding);
				expect(packed.headers.get('content-type'), path).toContain(type);
				expect(packed.headers.get('vary'), path).toMatch(/accept-encoding/i);
				// fetch unpacks it: the same document (pages differ only by their nonce).
				expect((await packed.text()).replace(/nonce="[^"]*"/g, ''), path).toBe(body.replace(/nonce="[^"]*"/g, ''));
			}
		}
	});

	it('an https app asks browsers to keep to https', async () => {
		const response = await fetch(`${secure.url}/`);
		expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
		expect((await fetch(`${secure.url}/favicon.svg`)).headers.get('strict-transport-security')).toBe('max-age=31536000');
	});
});

describe('cookies', () => {
	it('joining over http sets an HttpOnly, SameSite=Lax session cookie (not Secure: browsers would drop it)', async () => {
		const joined = await joinAs(plain.url, plain.url, codes[0]!, 'Hester');
		expect(joined.status).toBe(303);
		const cookies = cookiesOf(joined);
		const session = cookies.get('buurtbord.session_token');
		expect(session, [...cookies.keys()].join(', ')).toBeDefined();
		expect(session!.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
		expect(session!.attributes).not.toContain('secure');
		// The language cookie holds only a language, which the page script reads.
		const lang = cookies.get('buurtbord_lang');
		expect(lang!.attributes).toEqual(expect.arrayContaining(['samesite=lax', 'path=/']));
		expect(lang!.attributes).not.toContain('secure');
	});

	it('where the public URL is https, every cookie is Secure too', async () => {
		const joined = await joinAs(secure.url, HTTPS_ORIGIN, codes[1]!, 'Sietske');
		expect(joined.status).toBe(303);
		const cookies = cookiesOf(joined);
		const session = cookies.get('__Secure-buurtbord.session_token');
		expect(session, [...cookies.keys()].join(', ')).toBeDefined();
		expect(session!.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'secure']));
		for (const [name, cookie] of cookies) expect(cookie.attributes, name).toContain('secure');
	});
});

describe('requests from another site', () => {
	it('a form post (joining) is refused, and makes no one', async () => {
		const before = (await adminDb().query('select count(*)::int as n from member')).rows[0].n;
		const refused = await joinAs(plain.url, EVIL, codes[2]!, 'Mallory');
		expect(refused.status).toBe(403);
		expect(cookiesOf(refused).size).toBe(0);
		expect((await adminDb().query('select count(*)::int as n from member')).rows[0].n).toBe(before);
	});

	it('sign-in (/api/auth/*), the language switch and JSON endpoints are refused; the same from the app itself is not', async () => {
		const joined = await joinAs(plain.url, plain.url, codes[2]!, 'Wietske');
		const cookie = joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
		const attempts: [string, RequestInit][] = [
			['/api/auth/sign-in/anonymous', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
			['/api/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: '{}' }],
			['/push/subscribe', { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ endpoint: 'https://fcm.googleapis.com/fcm/send/x', keys: { p256dh: 'a', auth: 'b' } }) }],
			['/language', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: 'lang=en&redirectTo=/' }],
			['/sign-out', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: '' }]
		];
		for (const [path, init] of attempts) {
			const evil = await fetch(`${plain.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), origin: EVIL }, redirect: 'manual' });
			expect(evil.status, `${path} from ${EVIL}`).toBe(403);
			// A browser that names no Origin but says another site started it is refused as well.
			const hidden = await fetch(`${plain.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'sec-fetch-site': 'cross-site' }, redirect: 'manual' });
			expect(hidden.status, `${path} marked cross-site`).toBe(403);
		}
		// Still signed in: the refused sign-outs did nothing.
		const me = await fetch(`${plain.url}/me`, { headers: { cookie }, redirect: 'manual' });
		expect(me.status).toBe(200);
		// From the app itself the same requests go through (whatever they then answer).
		const own = await fetch(`${plain.url}/push/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json', origin: plain.url }, body: '{}' });
		expect(own.status).toBe(401);
		const ownSignOut = await fetch(`${plain.url}/api/auth/sign-out`, { method: 'POST', headers: { 'content-type': 'application/json', origin: plain.url, cookie }, body: '{}' });
		expect(ownSignOut.status).toBe(200);
	});

	it('a socket handshake from another site is refused; the app’s own pages connect', async () => {
		const polling = (base: string, origin: string) => fetch(`${base}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
		expect((await polling(plain.url, EVIL)).status).toBe(403);
		expect((await polling(plain.url, plain.url)).status).toBe(200);
		// ORIGIN decides: under an https public URL, the server's own address is not enough.
		expect((await polling(secure.url, plain.url.replace(/:\d+$/, `:${new URL(secure.url).port}`))).status).toBe(403);
		expect((await polling(secure.url, HTTPS_ORIGIN)).status).toBe(200);

		const websocket = (origin: string) =>
			new Promise<boolean>((resolve) => {
				const socket = connectSocket(plain.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { origin }, reconnection: false, timeout: 5000 });
				socket.once('connect', () => (socket.disconnect(), resolve(true)));
				socket.once('connect_error', () => (socket.disconnect(), resolve(false)));
			});
		expect(await websocket(EVIL)).toBe(false);
		expect(await websocket(plain.url)).toBe(true);
	});
});

describe('a body over the size limit (512 kB)', () => {
	const big = `display_name=${'x'.repeat(600 * 1024)}`;
	const post = (headers: Record<string, string>) =>
		fetch(`${plain.url}/join/ABCDEFGHJK`, {
			method: 'POST',
			headers: { origin: plain.url, 'content-type': 'application/x-www-form-urlencoded', ...headers },
			body: big
		});

	it('is refused in the person’s language, as a page, with a way back', async () => {
		const page = await post({ accept: 'text/html' });
		expect(page.status).toBe(413);
		const html = await page.text();
		expect(html).toContain('<html lang="nl">');
		expect(html).toContain('Dat is te veel om in één keer te sturen. Maak het korter en probeer het opnieuw.');
		expect(html).toContain('<a href="/join/ABCDEFGHJK">Terug</a>');
		expect(page.headers.get('x-content-type-options')).toBe('nosniff');
		const english = await (await post({ accept: 'text/html', cookie: 'buurtbord_lang=en' })).text();
		expect(english).toContain('That is too much to send at once. Make it shorter and try again.');
	});

	it('is a failure an enhanced form shows under the form', async () => {
		const answer = await post({ accept: 'application/json', 'x-sveltekit-action': 'true' });
		expect(answer.status).toBe(413);
		const body = (await answer.json()) as { type: string; status: number; data: string };
		expect(body).toMatchObject({ type: 'failure', status: 413 });
		expect(JSON.parse(body.data)).toContain('error_too_large');
	});

	it('answers an address too long to read with a 431 in both languages, every time, not a reset connection', async () => {
		// A link pasted many times over: 330 kB of address, over Node's 16 KiB for a request's head.
		for (let i = 0; i < 10; i++) {
			const answer = await fetch(`${plain.url}/me/export.json?lang=${encodeURIComponent('€'.repeat(36_000))}`);
			expect(answer.status).toBe(431);
			expect(await answer.text()).toBe('Dit adres is te lang. Open de link opnieuw vanaf de plek waar je hem vond.\nThis address is too long. Open the link again from where you found it.\n');
		}
		// The server goes on answering.
		expect((await fetch(`${plain.url}/healthz`)).status).toBe(200);
	});

	it('leaves bodies within the limit to the app', async () => {
		const fine = await fetch(`${plain.url}/join/ABCDEFGHJK`, {
			method: 'POST',
			headers: { origin: plain.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: 'display_name=Noor'
		});
		expect(fine.status).not.toBe(413);
	});
});
