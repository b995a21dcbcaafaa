import { expect, test, joinAsNewcomer, sql } from './fixtures.ts';
import { parseFeed } from '../support/parse-ical.ts';

/** Calendar feeds as people meet them: subscribe links on the pages, and the feeds behind them. */

async function dinnerId() {
	const rows = await sql<{ id: string }>(
		`select a.id from activity a join neighbourhood n on n.id = a.neighbourhood_id where n.slug = 'de-linde' and a.title = 'Dinsdagdiner'`
	);
	return rows[0]!.id;
}

test('an activity page offers webcal, Google Calendar and a copyable link to its feed', async ({ page, baseURL }) => {
	const id = await dinnerId();
	await page.goto(`/a/${id}`);
	const links = page.getByTestId('subscribe-links');
	await expect(links.getByRole('heading', { name: 'In je agenda' })).toBeVisible();

	const feed = `${baseURL}/feeds/activity/${id}.ics`;
	const webcal = feed.replace(/^http:/, 'webcal:');
	await expect(links.getByRole('link', { name: 'Zet in je agenda (iPhone, Mac, Outlook)' })).toHaveAttribute('href', webcal);
	await expect(links.getByRole('link', { name: 'Zet in Google Agenda (Android)' })).toHaveAttribute(
		'href',
		`https://calendar.google.com/calendar/render?cid=${encodeURIComponent(webcal)}`
	);
	await expect(links.getByLabel('Of kopieer de link')).toHaveValue(feed);
	await expect(links).toContainText('Google Agenda kijkt maar één keer per 12 tot 24 uur');

	// The link works: a calendar with the activity's dates, and a 304 for a client that has it.
	const response = await page.request.get(feed);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe('text/calendar; charset=utf-8');
	const parsed = parseFeed(await response.text());
	expect(parsed.events.length).toBeGreaterThan(2);
	expect(parsed.events.every((e) => e.summary.includes('Dinsdagdiner'))).toBe(true);
	const again = await page.request.get(feed, { headers: { 'If-None-Match': response.headers()['etag']! } });
	expect(again.status()).toBe(304);
});

test('in English, the subscribe links lead to the English feed', async ({ browser, baseURL }) => {
	const context = await browser.newContext();
	await context.addCookies([{ name: 'buurtbord_lang', value: 'en', url: baseURL! }]);
	const page = await context.newPage();
	const id = await dinnerId();
	await page.goto(`/a/${id}`);
	const links = page.getByTestId('subscribe-links');
	await expect(links.getByRole('heading', { name: 'In your calendar' })).toBeVisible();
	await expect(links.getByLabel('Or copy the link')).toHaveValue(`${baseURL}/feeds/activity/${id}.ics?lang=en`);
	const body = await (await page.request.get(`${baseURL}/feeds/activity/${id}.ics?lang=en`)).text();
	expect(body).toContain('Sign up and see who is coming');
	await context.close();
});

test('a neighbourhood page offers its feed, and a gathering its own calendar file', async ({ page, baseURL }) => {
	await page.goto('/n/de-linde');
	await expect(page.getByTestId('subscribe-links').getByLabel('Of kopieer de link')).toHaveValue(`${baseURL}/feeds/neighbourhood/de-linde.ics`);

	const id = await dinnerId();
	const rows = await sql<{ id: string }>(`select id from gathering where activity_id = $1 and starts_at > now() order by starts_at limit 1`, [id]);
	await page.goto(`/g/${rows[0]!.id}`);
	const add = page.getByRole('link', { name: 'Zet in mijn agenda' });
	await expect(add).toHaveAttribute('href', `/g/${rows[0]!.id}/calendar.ics`);
	const file = await page.request.get(`${baseURL}/g/${rows[0]!.id}/calendar.ics`);
	expect(file.status()).toBe(200);
	expect(parseFeed(await file.text()).events).toHaveLength(1);
});

test('a member makes a personal calendar link, and a new one stops the old one', async ({ browser }) => {
	const { context, page } = await joinAsNewcomer(browser, 'Fenna');
	await page.goto('/me');
	await page.getByRole('button', { name: 'Maak mijn agenda-link' }).click();
	const input = page.getByTestId('subscribe-links').getByLabel('Of kopieer de link');
	const first = await input.inputValue();
	expect(first).toMatch(/\/feeds\/personal\/[A-Za-z0-9_-]{43}\.ics$/);
	expect((await page.request.get(first)).status()).toBe(200);

	await page.getByRole('button', { name: 'Maak een nieuwe agenda-link' }).click();
	await expect(page.getByText('Je hebt een nieuwe link. De oude werkt niet meer.')).toBeVisible();
	const second = await input.inputValue();
	expect(second).not.toBe(first);
	expect((await page.request.get(first)).status()).toBe(404);
	expect((await page.request.get(second)).status()).toBe(200);
	await context.close();
});
