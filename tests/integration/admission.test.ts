import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateInviteCode } from '../../src/lib/joining/invite-code.ts';
import { hashSecret } from '../../src/lib/server/auth/sealing.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { joinWithPlainForm, plainFormHeaders } from '../support/plain-forms.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Requests take turns (src/lib/server/admission.ts): the built app answers one request at a
 * time here, so a sign-up held up by the database keeps the others waiting, in order; one that
 * waited too long is told to try again without anything done; health is answered at once; and
 * the sign-up that waited gets the truth. Needs `build/` (`npm test` builds first).
 */
let server: ServerProcess;
let dataDir: string;

const headers = (cookie: string, address: string) => plainFormHeaders(server.url, cookie, address);

beforeAll(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-admission-'));
	server = await startServerProcess({
		...inject('stackEnv'),
		BUURTBORD_DATA_DIR: dataDir,
		LOAD_DEMO_DATA: 'false',
		NODE_ENV: 'production',
		ADDRESS_HEADER: 'x-forwarded-for',
		REQUESTS_AT_ONCE: '1',
		REQUEST_QUEUE_TIMEOUT_MS: '1500',
		DATABASE_TIMEOUT_MS: '60000'
	});
}, 120_000);

afterAll(async () => {
	await server?.stop();
	await closeAdminDb();
	await rm(dataDir, { recursive: true, force: true });
});

describe('requests take turns', () => {
	it('keeps a held-up sign-up going, tells a request that waited too long to try again, and answers health at once', async () => {
		const home = await createNeighbourhood('Beurtbuurt');
		const host = await createMember('Beurt Host', home.id);
		const activity = await createActivityWithGatherings(home.id, host, [new Date(Date.now() + 4 * 86_400_000).toISOString()], 'Beurtdiner');
		const gathering = (await adminDb().query<{ id: string }>('select id from gathering where activity_id = $1', [activity])).rows[0]!.id;
		const code = generateInviteCode();
		await adminDb().query(`insert into invite (neighbourhood_id, code_hash, code_sealed, label) values ($1, $2, 'test', 'test')`, [home.id, hashSecret(code)]);
		const cookie = await joinWithPlainForm(server.url, code, 'Beurt Bea', '198.51.100.40');

		// The gathering is locked, as by a long change: Bea's sign-up waits in the database.
		const locker = new pg.Client({ connectionString: inject('stackEnv').DATABASE_URL });
		await locker.connect();
		try {
			await locker.query('begin');
			await locker.query('select 1 from gathering where id = $1 for update', [gathering]);
			const signUp = fetch(`${server.url}/g/${gathering}?/respond`, {
				method: 'POST',
				headers: headers(cookie, '198.51.100.40'),
				body: new URLSearchParams({ status: 'going', guests: '0' }),
				redirect: 'manual'
			});
			// Her request has its turn once the database sees it wait for the lock.
			for (let i = 0; ; i++) {
				const { rows } = await adminDb().query(`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%respond%'`);
				if (rows.length) break;
				if (i > 200) throw new Error('the sign-up never reached the database');
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			const health = await fetch(`${server.url}/healthz`);
			expect(health.status).toBe(200);
			// Another page waits behind her, longer than it may: nothing was done, so "try again".
			const waited = await fetch(`${server.url}/g/${gathering}`, { headers: { accept: 'text/html', 'x-forwarded-for': '198.51.100.41' } });
			expect(waited.status).toBe(503);
			expect(waited.headers.get('retry-after')).toBeTruthy();
			await waited.text();
			await locker.query('commit');
			// Post/redirect/get: the board at its clean address, with the result, as a browser follows it.
			const answer = await signUp;
			expect(answer.status).toBe(303);
			expect(answer.headers.get('location')).toBe(`/g/${gathering}`);
			const result = answer.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
			const page = await fetch(`${server.url}/g/${gathering}`, { headers: { ...headers(cookie, '198.51.100.40'), cookie: `${cookie}; ${result}` } });
			expect(page.status).toBe(200);
			expect(await page.text()).toMatch(/data-testid="my-status">(<!--[^>]*-->)?Je komt\. Fijn!/);
		} finally {
			await locker.end();
		}
		const { rows } = await adminDb().query<{ status: string }>(
			`select a.status from attendance a join member m on m.id = a.member_id where a.gathering_id = $1 and m.display_name = 'Beurt Bea'`,
			[gathering]
		);
		expect(rows).toEqual([{ status: 'going' }]);
	});
});
