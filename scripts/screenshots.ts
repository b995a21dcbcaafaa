/**
 * `npm run screenshots`: the main pages at phone and desktop width, as a newcomer and as a host
 * see them, into docs/screenshots/ (a few appear in the README). Starts the built app on its
 * own embedded stack with the demo data, in a temporary folder.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, devices, type Page } from '@playwright/test';
import pg from 'pg';
import { benchDatabase } from '../tests/bench/bench-database.ts';
import { startServerProcess } from '../tests/support/server-process.ts';

const out = 'docs/screenshots';
const dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-shots-'));
const server = await startServerProcess({ BUURTBORD_DATA_DIR: dataDir, NODE_ENV: 'production' });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
	await mkdir(out, { recursive: true });
	const db = new pg.Client((await benchDatabase(dataDir)).connection);
	await db.connect();
	const { rows } = await db.query<{ gathering: string; activity: string }>(
		`select g.id as gathering, a.id as activity from gathering g join activity a on a.id = g.activity_id
		 where a.title = 'Dinsdagdiner' and g.starts_at > now() order by g.starts_at limit 1`
	);
	const { gathering, activity } = rows[0]!;
	const code = /join\/([0-9A-Z]{10})/.exec(server.output())![1]!;

	for (const [width, options] of [
		['phone', devices['Pixel 5']],
		['desktop', { viewport: { width: 1280, height: 900 } }]
	] as const) {
		const context = await browser.newContext({ ...options, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
		const page = await context.newPage();
		const shoot = async (name: string, path: string, prepare?: (page: Page) => Promise<void>) => {
			await page.goto(`${server.url}${path}`);
			await prepare?.(page);
			await page.screenshot({ path: `${out}/${name}-${width}.png`, fullPage: width === 'desktop' });
		};
		await shoot('welcome', `/join/${code}`);
		await page.getByLabel('Je voornaam').fill(width === 'phone' ? 'Amina' : 'Bram');
		await page.getByRole('button', { name: 'Doe mee' }).click();
		await page.waitForURL(/welcome=1/);
		await shoot('agenda', '/n/de-linde');
		await shoot('activity', `/a/${activity}`);
		await shoot('board', `/g/${gathering}`, async (p) => {
			await p.getByRole('button', { name: 'Ik kom' }).click();
			await p.getByTestId('my-status').filter({ hasText: 'Je komt' }).waitFor();
			// The board as it stands once the answer is in (names, help, reminder).
			await p.reload();
		});
		await shoot('needs', '/n/de-linde/needs');
		await shoot('me', '/me');
		await context.close();
	}
	await db.end();
	console.log(`Screenshots in ${out}/`);
} finally {
	await browser.close();
	await server.stop();
	await rm(dataDir, { recursive: true, force: true });
}
