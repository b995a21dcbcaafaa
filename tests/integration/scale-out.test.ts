import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDataApiToken } from '../../src/lib/server/auth/tokens.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

/**
 * Two app instances on one database (the second configured as for a managed PostgreSQL and
 * Data API): a board open on instance B hears a sign-up made through instance A.
 */
const dirs: string[] = [];
let a: ServerProcess;
let b: ServerProcess;
let gatheringId: string;
let inviteCode: string;

beforeAll(async () => {
	const [dirA, dirB] = [await mkdtemp(join(tmpdir(), 'buurtbord-a-')), await mkdtemp(join(tmpdir(), 'buurtbord-b-'))];
	dirs.push(dirA, dirB);
	a = await startServerProcess({ BUURTBORD_DATA_DIR: dirA });
	inviteCode = /join\/([0-9A-Z]{10})/.exec(a.output())![1]!;
	const gateway = /embedded PostgREST at (http:\/\/\S+)\/rest\/v1/.exec(a.output())![1]!;
	const secrets = JSON.parse(await readFile(join(dirA, 'secrets.json'), 'utf8'));
	const port = Number((await readFile(join(dirA, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[3]);
	const databaseUrl = `postgres://postgres:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${port}/buurtbord`;
	const db = new pg.Client({ connectionString: databaseUrl });
	await db.connect();
	gatheringId = (
		await db.query(`select g.id from gathering g join activity a on a.id = g.activity_id where a.title = 'Dinsdagdiner' and g.starts_at > now() order by g.starts_at limit 1`)
	).rows[0].id;
	await db.end();
	b = await startServerProcess({
		BUURTBORD_DATA_DIR: dirB,
		DATABASE_URL: databaseUrl,
		SUPABASE_URL: gateway,
		SUPABASE_ANON_KEY: await signDataApiToken(secrets.jwtSecret, { role: 'anon' }, 3600),
		SUPABASE_SERVICE_ROLE_KEY: await signDataApiToken(secrets.jwtSecret, { role: 'service_role' }, 3600),
		SUPABASE_JWT_SECRET: secrets.jwtSecret,
		AUTH_SECRET: secrets.authSecret
	});
}, 120_000);

afterAll(async () => {
	await b?.stop();
	await a?.stop();
	for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('two instances', () => {
	it('a board open on one instance hears a sign-up made through the other', async () => {
		const socket = connect(b.url, { path: '/socket.io', transports: ['websocket'], reconnection: false });
		await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
		await new Promise((resolve) => socket.emit('watch', { topic: `gathering:${gatheringId}` }, resolve));
		const heard = new Promise<{ payload: { going: number } }>((resolve) => socket.once('changed', resolve));

		// A newcomer joins and signs up through instance A, as a browser without JavaScript would.
		const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
		const headers = { origin: a.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' };
		const joined = await fetch(`${a.url}/join/${inviteCode}`, { method: 'POST', headers, body: form({ display_name: 'Sam', lang: 'nl' }), redirect: 'manual' });
		expect(joined.status).toBe(303);
		const cookie = joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
		const signedUp = await fetch(`${a.url}/g/${gatheringId}?/respond`, {
			method: 'POST',
			headers: { ...headers, cookie },
			body: form({ status: 'going', guests: '0' }),
			redirect: 'manual'
		});
		expect(signedUp.status).toBe(200);

		const event = await Promise.race([heard, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('nothing arrived on B')), 10_000))]);
		expect(event.payload.going).toBe(1);
		socket.disconnect();

		// And B's own pages show the same board.
		const page = await (await fetch(`${b.url}/g/${gatheringId}`)).text();
		expect(page).toContain('1 van de 14 plaatsen zijn bezet');
	});
});
