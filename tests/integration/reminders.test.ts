import { createECDH, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ece from 'http_ece';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { memberDataClient, serviceDataClient } from '../../src/lib/server/db/client.ts';
import { respond } from '../../src/lib/boards/queries.server.ts';
import { reminderState, remindMe, sendNotices, subscribeDevice } from '../../src/lib/reminders/reminders.server.ts';
import { setActivityStatus } from '../../src/lib/activities/activities.server.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood, createSignIn } from './fixtures.ts';

/**
 * Reminders and notices reach only those who asked: by e-mail when confirmed, otherwise by web
 * push — encrypted as a real push service receives it (a local endpoint stands in for the
 * browser vendor's service and decrypts with the device's keys).
 */
let outboxDir: string;
let pushService: Server;
const received: { path: string; message: { title: string; body: string; url: string } }[] = [];
const device = createECDH('prime256v1');
device.generateKeys();
const deviceAuth = randomBytes(16);
let home: { id: string };
let host: string;

function subscription(path: string) {
	const { port } = pushService.address() as AddressInfo;
	return {
		endpoint: `http://127.0.0.1:${port}${path}`,
		keys: { p256dh: device.getPublicKey('base64url'), auth: deviceAuth.toString('base64url') }
	};
}

async function mails() {
	const files = await readdir(join(outboxDir, 'outbox')).catch(() => [] as string[]);
	return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(outboxDir, 'outbox', f), 'utf8')) as { to: string; subject: string; text: string }));
}

async function gatheringIn(hours: number) {
	const activity = await createActivityWithGatherings(home.id, host, [new Date(Date.now() + hours * 3600_000).toISOString()], `Herinnerdiner ${Math.random()}`);
	const { rows } = await adminDb().query<{ id: string }>('select id from gathering where activity_id = $1', [activity]);
	return rows[0]!.id;
}

async function askedLongAgo(gathering: string) {
	await adminDb().query(`update gathering_reminder set created_at = now() - interval '3 days' where gathering_id = $1`, [gathering]);
}

beforeAll(async () => {
	outboxDir = await mkdtemp(join(tmpdir(), 'buurtbord-reminders-'));
	pushService = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			if (request.url === '/gone') {
				response.writeHead(410).end();
				return;
			}
			const plain = ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: device, authSecret: deviceAuth.toString('base64url') });
			received.push({ path: request.url!, message: JSON.parse(plain.toString('utf8')) });
			response.writeHead(201).end();
		});
	});
	await new Promise<void>((resolve) => pushService.listen(0, '127.0.0.1', resolve));
	// Read lazily by the app's configuration: a private outbox, and this endpoint allowed.
	process.env.BUURTBORD_DATA_DIR = outboxDir;
	process.env.ORIGIN = 'http://buurtbord.test';
	process.env.PUSH_SERVICE_HOSTS = `fcm.googleapis.com,127.0.0.1:${(pushService.address() as AddressInfo).port}`;
	// Notices other files queued and no server sent are not this file's to count.
	await adminDb().query('update notice set sent_at = now() where sent_at is null');
	home = await createNeighbourhood('Herinnerbuurt');
	host = await createMember('Gastheer Herinner', home.id);
});
afterAll(async () => {
	await closeAdminDb();
	await new Promise((resolve) => pushService.close(resolve));
	await rm(outboxDir, { recursive: true, force: true });
});

describe('reminders and notices', () => {
	it('reminds the day before by e-mail or by push, once, and only those who asked and still come', async () => {
		const gathering = await gatheringIn(20);
		const withEmail = await createMember('Mail Mieke', home.id);
		await createSignIn(withEmail, `mieke-${Math.random().toString(36).slice(2)}@example.org`);
		await adminDb().query(`update identity."user" set "emailVerified" = true where id = $1`, [withEmail]);
		const withPhone = await createMember('Push Pim', home.id);
		const didNotAsk = await createMember('Stil Sam', home.id);
		const cancelled = await createMember('Afmeld Anna', home.id);
		for (const id of [withEmail, withPhone, didNotAsk, cancelled]) {
			const db = await memberDataClient(id);
			expect((await respond(db, gathering, 'going', 0)).ok).toBe(true);
			if (id !== didNotAsk) expect(await remindMe(db, gathering, id, true)).toBe(true);
		}
		const pim = await memberDataClient(withPhone);
		expect(await subscribeDevice(pim, subscription('/pim'))).toBe(true);
		expect(await reminderState(pim, gathering)).toMatchObject({ on: true, email: false, devices: 1 });
		expect((await respond(await memberDataClient(cancelled), gathering, 'not_going', 0)).ok).toBe(true);
		await askedLongAgo(gathering);

		const before = (await mails()).length;
		const first = await sendNotices(serviceDataClient());
		expect(first).toMatchObject({ queued: 2, mailed: 1, pushed: 1, unreachable: 0 });
		const mail = (await mails()).slice(before).find((x) => x.subject.includes('Herinnerdiner'))!;
		expect(mail.subject).toMatch(/^Morgen: Herinnerdiner/);
		expect(mail.text).toContain(`http://buurtbord.test/g/${gathering}`);
		expect(received.at(-1)).toEqual({ path: '/pim', message: expect.objectContaining({ title: expect.stringMatching(/^Morgen: Herinnerdiner/), url: `/g/${gathering}` }) });

		// Never twice.
		expect(await sendNotices(serviceDataClient())).toMatchObject({ queued: 0, mailed: 0, pushed: 0 });
	});

	it('tells who asked when a gathering is cancelled or moved, in their own language', async () => {
		const gathering = await gatheringIn(72);
		const english = await createMember('Eng Emma', home.id);
		await adminDb().query(`update member set locale = 'en' where id = $1`, [english]);
		const db = await memberDataClient(english);
		await respond(db, gathering, 'maybe', 0);
		await remindMe(db, gathering, english, true);
		await subscribeDevice(db, { ...subscription('/emma') });
		const hostDb = await memberDataClient(host);
		await hostDb.from('gathering').update({ starts_at: new Date(Date.now() + 96 * 3600_000).toISOString(), ends_at: new Date(Date.now() + 98 * 3600_000).toISOString() }).eq('id', gathering);
		expect(await sendNotices(serviceDataClient())).toMatchObject({ pushed: 1 });
		expect(received.at(-1)!.message.title).toMatch(/^Changed: Herinnerdiner/);
		await hostDb.from('gathering').update({ status: 'cancelled', cancellation_reason: 'Zieke kok' }).eq('id', gathering);
		expect(await sendNotices(serviceDataClient())).toMatchObject({ pushed: 1 });
		expect(received.at(-1)!.message).toMatchObject({ title: expect.stringMatching(/^Cancelled: Herinnerdiner/), body: expect.stringContaining('will not take place') });
	});

	it('tells people moved down by a smaller capacity, and moved up when a place opens, whether they asked or not, once', async () => {
		const gathering = await gatheringIn(72);
		await adminDb().query('update activity set capacity = 2 where id = (select activity_id from gathering where id = $1)', [gathering]);
		const [ans, bas, cor] = await Promise.all(['Plek Ans', 'Plek Bas', 'Plek Cor'].map((name) => createMember(name, home.id)));
		for (const [id, path] of [[ans!, '/ans'], [bas!, '/bas'], [cor!, '/cor']] as const) {
			const db = await memberDataClient(id);
			expect((await respond(db, gathering, 'going', 0)).ok).toBe(true);
			expect(await subscribeDevice(db, subscription(path))).toBe(true);
		}
		// Cor waits; the host cuts a place: Bas goes to the front of the waitlist.
		const hostDb = await memberDataClient(host);
		expect((await hostDb.from('activity').update({ capacity: 1 }).eq('id', (await adminDb().query('select activity_id from gathering where id = $1', [gathering])).rows[0]!.activity_id)).error).toBeNull();
		const since = received.length;
		// Two senders at once (two instances, or a round and a notice): each message goes out once.
		const [one, two] = await Promise.all([sendNotices(serviceDataClient()), sendNotices(serviceDataClient())]);
		expect(one.pushed + two.pushed).toBe(1);
		expect(received.slice(since)).toEqual([
			{ path: '/bas', message: expect.objectContaining({ title: expect.stringMatching(/^Je staat op de wachtlijst: Herinnerdiner/), url: `/g/${gathering}` }) }
		]);
		// Ans can no longer come: Bas moves up, and hears it.
		expect((await respond(await memberDataClient(ans!), gathering, 'not_going', 0)).ok).toBe(true);
		expect(await sendNotices(serviceDataClient())).toMatchObject({ pushed: 1 });
		expect(received.at(-1)).toEqual({ path: '/bas', message: expect.objectContaining({ title: expect.stringMatching(/^Er is plek voor je: Herinnerdiner/) }) });
		expect(await sendNotices(serviceDataClient())).toMatchObject({ pushed: 0, unreachable: 0 });
		expect(received.slice(since).map((r) => r.path)).not.toContain('/cor');
	});

	it('ending an activity cancels its dates people answered, drops the untouched ones, and tells who was coming', async () => {
		const soon = new Date(Date.now() + 30 * 3600_000).toISOString();
		const later = new Date(Date.now() + 200 * 3600_000).toISOString();
		const activity = await createActivityWithGatherings(home.id, host, [soon, later], `Stopdiner ${Math.random()}`);
		const { rows } = await adminDb().query<{ id: string; starts_at: Date }>('select id, starts_at from gathering where activity_id = $1 order by starts_at', [activity]);
		const [answered, untouched] = rows;
		const guest = await createMember('Stop Sanne', home.id);
		const db = await memberDataClient(guest);
		expect((await respond(db, answered!.id, 'going', 0)).ok).toBe(true);
		expect(await subscribeDevice(db, subscription('/sanne'))).toBe(true);
		expect(await setActivityStatus(await memberDataClient(host), activity, 'ended')).toBe(true);
		const { rows: after } = await adminDb().query<{ id: string; status: string }>('select id, status from gathering where activity_id = $1', [activity]);
		expect(after).toEqual([{ id: answered!.id, status: 'cancelled' }]);
		expect(after.map((g) => g.id)).not.toContain(untouched!.id);
		expect(await sendNotices(serviceDataClient())).toMatchObject({ pushed: 1 });
		expect(received.at(-1)).toEqual({ path: '/sanne', message: expect.objectContaining({ title: expect.stringMatching(/^Gestopt: Stopdiner/), body: expect.stringContaining('gaat') }) });
	});

	it('wakes the sender when notices are queued, and not when a round queued nothing (no endless rounds)', async () => {
		const listener = new pg.Client({ connectionString: inject('stackEnv').DATABASE_URL });
		await listener.connect();
		try {
			const heard: string[] = [];
			listener.on('notification', (n) => heard.push(n.payload ?? ''));
			await listener.query('listen buurtbord_changed');
			const settle = () => new Promise((done) => setTimeout(done, 300));
			// A round of the sender with nothing due: its insert statement adds no row.
			await adminDb().query('update notice set sent_at = now() where sent_at is null');
			await serviceDataClient().rpc('queue_due_reminders');
			await settle();
			expect(heard.filter((p) => p === 'notices')).toEqual([]);
			// A date cancelled with three people on it: one wake-up for the whole transaction.
			const gathering = await gatheringIn(96);
			for (const name of ['Wek Wendy', 'Wek Willem', 'Wek Wouter']) await respond(await memberDataClient(await createMember(name, home.id)), gathering, 'going', 0);
			await settle();
			heard.length = 0;
			await adminDb().query(`update gathering set status = 'cancelled' where id = $1`, [gathering]);
			await settle();
			expect(heard.filter((p) => p === 'notices')).toEqual(['notices']);
		} finally {
			await listener.end();
			// The three cancelled notices have no channel to go by: not the next test's to count.
			await adminDb().query('update notice set sent_at = now() where sent_at is null');
		}
	});

	it('forgets a device its push service says is gone, and never posts to an unknown address', async () => {
		const member = await createMember('Weg Wim', home.id);
		const db = await memberDataClient(member);
		expect(await subscribeDevice(db, { ...subscription('/x'), endpoint: 'https://evil.example/push' })).toBe(false);
		expect(await subscribeDevice(db, { ...subscription('/x'), endpoint: 'http://127.0.0.1:5432/' })).toBe(false);
		expect(await subscribeDevice(db, subscription('/gone'))).toBe(true);
		const gathering = await gatheringIn(20);
		await respond(db, gathering, 'going', 0);
		await remindMe(db, gathering, member, true);
		await askedLongAgo(gathering);
		expect(await sendNotices(serviceDataClient())).toMatchObject({ queued: 1, unreachable: 1 });
		const { rows } = await adminDb().query('select 1 from push_subscription where member_id = $1', [member]);
		expect(rows).toHaveLength(0);
	});

	it('keeps reminders and devices private, and the queue out of members\' reach', async () => {
		const gathering = await gatheringIn(50);
		const owner = await createMember('Eigen Els', home.id);
		const other = await memberDataClient(await createMember('Ander Aart', home.id));
		const ownerDb = await memberDataClient(owner);
		await remindMe(ownerDb, gathering, owner, true);
		await subscribeDevice(ownerDb, subscription('/els'));
		expect((await other.from('gathering_reminder').select('*').eq('member_id', owner)).data).toEqual([]);
		expect((await other.from('push_subscription').select('id')).data).toEqual([]);
		// Endpoints and keys are not readable, not even by their owner, through the Data API.
		expect((await ownerDb.from('push_subscription').select('endpoint')).error).not.toBeNull();
		expect((await other.from('notice').select('*')).error).not.toBeNull();
		expect((await other.from('gathering_reminder').insert({ gathering_id: gathering, member_id: owner })).error).not.toBeNull();
		expect((await other.rpc('claim_notices', { p_limit: 10 })).error).not.toBeNull();
	});
});
