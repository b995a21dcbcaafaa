import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devices, test as base, type Locator, type Page } from '@playwright/test';
import pg from 'pg';
import { generateInviteCode } from '../../src/lib/joining/invite-code.ts';
import { hashSecret, seal } from '../../src/lib/server/auth/sealing.ts';

/**
 * Each test's browsers come from their own loopback address (127.x.y.z, through
 * X-Forwarded-For, as behind a proxy), so the per-address limits on joining meet one test's
 * newcomers, not the whole suite's.
 */
export const test = base.extend({
	extraHTTPHeaders: async ({}, use) => {
		const byte = () => 1 + Math.floor(Math.random() * 254);
		await use({ 'x-forwarded-for': `127.${byte()}.${byte()}.${byte()}` });
	}
});
export { expect } from '@playwright/test';

/**
 * A slow phone: the page's scripts arrive only once the returned function is called, so a test
 * can type into a page that has not started yet. After calling it, wait for the network to
 * settle: the page has started by then.
 */
export async function holdPageScripts(page: Page): Promise<() => void> {
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await released;
		await route.continue();
	});
	return release;
}

/**
 * Arranging data for end-to-end tests goes straight to the test server's own embedded
 * PostgreSQL (found through its data folder); everything being tested goes through the
 * browser.
 */
function connect() {
	const dir = process.env.E2E_DATA_DIR!;
	const secrets = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'));
	// The fourth line of postmaster.pid is the port PostgreSQL listens on.
	const port = Number(readFileSync(join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
	return { client: new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: secrets.postgresPassword, database: 'buurtbord' }), secrets };
}

/**
 * Clicks a form's button and waits for the server's answer. A board shows a choice at once,
 * before it is saved; a step that needs it saved (another page, a change in the database)
 * waits for the answer, or it may run before the choice is stored.
 */
export async function clickAndWaitForAnswer(page: Page, button: Locator) {
	await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), button.click()]);
}

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []) {
	const { client } = connect();
	await client.connect();
	try {
		return (await client.query<T>(text, values)).rows;
	} finally {
		await client.end();
	}
}

/** A fresh invite to the demo neighbourhood (or one of its activities); returns its code. */
export async function createDemoInvite(options: { activityTitle?: string } = {}): Promise<string> {
	const { secrets } = connect();
	const code = generateInviteCode();
	await sql(
		`insert into invite (neighbourhood_id, activity_id, code_hash, code_sealed, label)
		 select n.id, (select a.id from activity a where a.neighbourhood_id = n.id and a.title = $4), $1, $2, $3
		 from neighbourhood n where n.slug = 'de-linde'`,
		[hashSecret(code), await seal(secrets.authSecret, code), 'e2e', options.activityTitle ?? null]
	);
	return code;
}

export async function makeCoordinator(displayName: string) {
	await sql(
		`update neighbourhood_member set role = 'coordinator'
		 where member_id in (select id from member where display_name = $1)`,
		[displayName]
	);
}

/**
 * A fresh gathering (an extra date, outside any series) with a small capacity, so the test owns
 * its board: `daysAhead` from now, under a title of its own (`prefix` and a random tail).
 */
export async function freshGathering(capacity: number, options: { daysAhead?: number; prefix?: string } = {}) {
	const title = `${options.prefix ?? 'Proefdiner'} ${Math.random().toString(36).slice(2, 7)}`;
	const rows = await sql<{ id: string }>(
		`with a as (
			insert into activity (neighbourhood_id, title, kind, place_name, schedule_rrule, schedule_starts_at, duration_minutes, capacity)
			select id, $1, 'shared_dinner', 'Buurthuis', 'FREQ=DAILY;COUNT=1', (now() + make_interval(days => $3))::timestamp, 120, $2
			from neighbourhood where slug = 'de-linde' returning id
		)
		insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at, is_extra)
		select id, now() + make_interval(days => $3), now() + make_interval(days => $3), now() + make_interval(days => $3, hours => 2), true from a returning id`,
		[title, capacity, options.daysAhead ?? 3]
	);
	return { id: rows[0]!.id, title };
}

/** A fresh gathering three days ahead (freshGathering): its id. */
export async function smallGathering(capacity: number) {
	return (await freshGathering(capacity)).id;
}

/** A phone as newcomers hold one (the browser's type aside). */
export const { defaultBrowserType: _, ...phone } = devices['Pixel 5'];

/** A newcomer in a fresh browser context who has joined the demo neighbourhood by invite. */
export async function joinAsNewcomer(
	browser: import('@playwright/test').Browser,
	name: string,
	options: { javaScriptEnabled?: boolean; phone?: boolean } = {}
) {
	const context = await browser.newContext({
		...(options.phone ? phone : {}),
		javaScriptEnabled: options.javaScriptEnabled ?? true
	});
	const page = await context.newPage();
	await page.goto(`/join/${await createDemoInvite()}`);
	await page.getByLabel('Je voornaam').fill(name);
	await page.getByRole('button', { name: 'Doe mee' }).click();
	await page.waitForURL(/\?welcome=1$/);
	return { context, page };
}
