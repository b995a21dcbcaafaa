import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateInviteCode } from '../../src/lib/joining/invite-code.ts';
import { topic } from '../../src/lib/realtime/events.ts';
import { hashSecret } from '../../src/lib/server/auth/sealing.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { followBoard } from '../support/board-views.ts';
import { joinWithPlainForm, plainFormHeaders } from '../support/plain-forms.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Deleting an account reaches the open boards: the built app in its own process, two people
 * who joined through an invite, a one-place gathering, and a board's real socket watching it.
 * Needs `build/` (`npm test` builds first; alone: `npx vite build`).
 */
let server: ServerProcess;
let dataDir: string;
let socket: Socket | undefined;

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const headers = (cookie: string, address: string) => plainFormHeaders(server.url, cookie, address);

beforeAll(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-leaving-'));
	server = await startServerProcess({
		...inject('stackEnv'),
		BUURTBORD_DATA_DIR: dataDir,
		LOAD_DEMO_DATA: 'false',
		NODE_ENV: 'production',
		ADDRESS_HEADER: 'x-forwarded-for'
	});
}, 120_000);

afterAll(async () => {
	socket?.disconnect();
	await server?.stop();
	await closeAdminDb();
	await rm(dataDir, { recursive: true, force: true });
});

const joinAs = (code: string, name: string, address: string) => joinWithPlainForm(server.url, code, name, address);

describe('deleting an account', () => {
	it('moves the waitlist up and tells the open board at once', async () => {
		const home = await createNeighbourhood('Afscheidsbuurt');
		const host = await createMember('Hanne', home.id);
		const activity = await createActivityWithGatherings(home.id, host, [new Date(Date.now() + 7 * 86_400_000).toISOString()], 'Eén plaats');
		await adminDb().query('update activity set capacity = 1 where id = $1', [activity]);
		const gathering = (await adminDb().query<{ id: string }>('select id from gathering where activity_id = $1', [activity])).rows[0]!.id;
		const code = generateInviteCode();
		await adminDb().query(`insert into invite (neighbourhood_id, code_hash, code_sealed) values ($1, $2, 'sealed')`, [home.id, hashSecret(code)]);

		const leaver = await joinAs(code, 'Lieke', '10.9.0.1');
		const waiting = await joinAs(code, 'Wim', '10.9.0.2');
		for (const [cookie, address] of [[leaver, '10.9.0.1'], [waiting, '10.9.0.2']] as const) {
			const answer = await fetch(`${server.url}/g/${gathering}?/respond`, { method: 'POST', headers: headers(cookie, address), body: form({ status: 'going', guests: '0' }), redirect: 'manual' });
			expect(answer.status).toBe(303);
		}

		// A visitor's board: counts only.
		socket = connect(server.url, { path: '/socket.io', transports: ['websocket'], reconnection: false });
		const board = followBoard(socket, topic.gathering(gathering));
		await new Promise<void>((resolve, reject) => {
			socket!.once('connect', () => resolve());
			socket!.once('connect_error', reject);
		});
		expect(await new Promise<{ ok: boolean }>((resolve) => socket!.emit('watch', { topic: topic.gathering(gathering) }, resolve))).toEqual({ ok: true });

		const deleted = await fetch(`${server.url}/me?/delete`, { method: 'POST', headers: headers(leaver, '10.9.0.1'), body: form({ confirm: 'yes' }), redirect: 'manual' });
		expect(deleted.status).toBe(303);

		const deadline = Date.now() + 10_000;
		while (!board.seen.some((view) => view.summary.going === 1 && view.summary.waitlist === 0) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
		expect(board.latest()?.summary).toMatchObject({ going: 1, waitlist: 0 });
		const { rows } = await adminDb().query<{ display_name: string; status: string }>(
			'select m.display_name, a.status from attendance a join member m on m.id = a.member_id where a.gathering_id = $1',
			[gathering]
		);
		expect(rows).toEqual([{ display_name: 'Wim', status: 'going' }]);
	}, 60_000);
});
