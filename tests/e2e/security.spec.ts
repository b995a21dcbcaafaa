import type { BrowserContext, Page } from '@playwright/test';
import { expect, test, createDemoInvite, makeCoordinator, sql } from './fixtures.ts';

/**
 * The Content-Security-Policy holds the app's own pages to it without breaking them: every
 * main page, with JavaScript on, loads without a single violation, and what needs scripts
 * (live board over socket.io, enhanced forms, the service worker) still works.
 */
test.describe.configure({ timeout: 120_000 });

/** Collects every CSP violation a page of this context reports, from its first script on. */
async function watchViolations(context: BrowserContext) {
	await context.addInitScript(() => {
		const w = window as unknown as { __cspViolations: string[] };
		w.__cspViolations = [];
		document.addEventListener('securitypolicyviolation', (e) =>
			w.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`)
		);
	});
	const logged: string[] = [];
	context.on('console', (message) => {
		if (/Content[ -]Security[ -]Policy/i.test(message.text())) logged.push(message.text());
	});
	return async (page: Page, what: string) => {
		// Violations are reported as events a moment after the fact.
		await page.waitForTimeout(100);
		const seen = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
		expect([...seen, ...logged], `${what} breaks the Content-Security-Policy`).toEqual([]);
	};
}

const suffix = () => Math.random().toString(36).slice(2, 7).replace(/[0-9]/g, 'q');

test('every main page keeps to the Content-Security-Policy, and live features still work', async ({ browser, extraHTTPHeaders }) => {
	const context = await browser.newContext({ extraHTTPHeaders });
	const expectNoViolations = await watchViolations(context);
	const page = await context.newPage();

	// The policy is really there, with a nonce: a page is not merely lenient.
	const response = await page.goto('/');
	expect(response!.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
	await expectNoViolations(page, 'home');
	await page.goto('/join');
	await expectNoViolations(page, '/join');

	// Joining: the welcome page, the enhanced form, the redirect.
	await page.goto(`/join/${await createDemoInvite()}`);
	await expectNoViolations(page, 'an invite');
	const name = `Cato ${suffix()}`;
	await page.getByLabel('Je voornaam').fill(name);
	await page.getByRole('button', { name: 'Doe mee' }).click();
	await page.waitForURL(/\?welcome=1$/);
	await expectNoViolations(page, 'the agenda after joining');
	await makeCoordinator(name);

	// The service worker loads and runs under its own policy.
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });

	const [activity] = await sql<{ id: string }>(`select id from activity where title = 'Dinsdagdiner'`);
	const [gathering] = await sql<{ id: string }>(
		`select g.id from gathering g join activity a on a.id = g.activity_id where a.title = 'Dinsdagdiner' and g.starts_at > now() order by g.starts_at offset 3 limit 1`
	);
	// An organisation with a logo on another https site (here: a closed port on this machine).
	const [organisation] = await sql<{ id: string }>(
		`with o as (insert into organisation (name, description, logo_url) values ($1, 'Leent gereedschap uit.', 'https://127.0.0.1:9/logo.png') returning id),
		 n as (insert into organisation_neighbourhood (organisation_id, neighbourhood_id, status)
		       select o.id, nb.id, 'approved' from o, neighbourhood nb where nb.slug = 'de-linde')
		 select id from o`,
		[`Gereedschapsbank ${suffix()}`]
	);

	// The board: its socket connects (someone is looking: this page) and a tap goes through.
	const websockets: string[] = [];
	page.on('websocket', (socket) => websockets.push(socket.url()));
	await page.goto(`/g/${gathering!.id}`);
	await expect(page.getByTestId('looking-now').locator('[data-count]')).toBeVisible();
	// Over a WebSocket, not only long polling: connect-src 'self' covers ws: of the same host.
	await expect.poll(() => websockets.some((url) => url.includes('/socket.io/') && url.includes('transport=websocket'))).toBe(true);
	await page.getByRole('button', { name: 'Ik kom' }).click();
	await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	await expectNoViolations(page, 'the board');

	for (const [path, what] of [
		['/n/de-linde', 'the agenda'],
		[`/a/${activity!.id}`, 'an activity'],
		['/me', '/me'],
		['/n/de-linde/needs', 'needs and offers of a neighbourhood'],
		['/offers', 'offers'],
		[`/organisations/${organisation!.id}`, 'an organisation with a logo'],
		['/n/de-linde/ideas', 'ideas'],
		['/invites', 'invites'],
		['/this-page-does-not-exist', 'the error page']
	] as const) {
		await page.goto(path);
		await expectNoViolations(page, what);
	}
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

	// The language switch is a plain form post that redirects.
	await page.goto('/n/de-linde');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expectNoViolations(page, 'the language switch');

	// The offline page keeps to its (stricter) policy and still has its look.
	await page.goto('/offline.html');
	await expect(page.getByRole('link', { name: 'Probeer opnieuw' })).toHaveCSS('background-color', 'rgb(164, 71, 15)');
	await expectNoViolations(page, 'the offline page');

	// And the check itself works: a script the policy does not allow is blocked and reported.
	await page.goto('/');
	await page.evaluate(() => {
		const script = document.createElement('script');
		script.textContent = 'window.__ran = true';
		document.body.append(script);
	});
	expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
	await expect(expectNoViolations(page, 'a planted inline script')).rejects.toThrow(/script-src/);
	await context.close();
});
