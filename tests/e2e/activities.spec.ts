import { expect, test, joinAsNewcomer } from './fixtures.ts';

const uniqueTitle = (base: string) => `${base} ${Math.random().toString(36).slice(2, 7)}`;

const joinedPage = joinAsNewcomer;

test('a resident starts a weekly dinner, sees its dates on the agenda, and cancels one', async ({ browser }) => {
	const { context, page } = await joinedPage(browser, 'Hanna');
	const title = uniqueTitle('Soepavond');

	await page.goto('/n/de-linde');
	await page.getByRole('link', { name: 'Begin iets', exact: true }).click();
	await page.getByLabel('Naam', { exact: true }).fill(title);
	await page.getByRole('radio', { name: 'Elke week' }).check();
	await page.getByLabel('Dag', { exact: true }).selectOption('FR');
	await page.getByLabel('Van', { exact: true }).fill('18:00');
	await page.getByLabel('Tot', { exact: true }).fill('20:30');
	// Forgetting the place: the form explains and keeps what was typed.
	await page.getByRole('button', { name: 'Zet op de agenda' }).click();
	await expect(page.getByText('Vul in waar het is.')).toBeVisible();
	await expect(page.getByLabel('Naam', { exact: true })).toHaveValue(title);
	await expect(page.getByLabel('Dag', { exact: true })).toHaveValue('FR');

	await page.getByLabel('Plek', { exact: true }).fill('Buurthuis De Linde');
	await page.getByRole('checkbox', { name: 'Kinderen welkom' }).check();
	await page.getByRole('button', { name: 'Zet op de agenda' }).click();
	await expect(page).toHaveURL(/\/a\/[0-9a-f-]{36}\?created=1$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	// The creator hosts it.
	await expect(page.locator('dl')).toContainText('Hanna');

	// Everything stays editable; the form comes back with what was saved.
	await page.getByRole('link', { name: 'Activiteit aanpassen' }).click();
	await expect(page.getByLabel('Dag', { exact: true })).toHaveValue('FR');
	await expect(page.getByRole('checkbox', { name: 'Kinderen welkom' })).toBeChecked();
	await page.getByLabel('Wat neem je mee?').fill('Een bord en een lepel');
	await page.getByRole('button', { name: 'Opslaan' }).click();
	await expect(page).toHaveURL(/\/a\/[0-9a-f-]{36}\?saved=1$/);
	await expect(page.locator('dl')).toContainText('Een bord en een lepel');

	// On the agenda, every Friday at 18:00.
	await page.goto('/n/de-linde');
	const dinners = page.getByRole('listitem').filter({ hasText: title });
	await expect(dinners.first()).toBeVisible();
	expect(await dinners.count()).toBeGreaterThanOrEqual(3);
	await expect(dinners.first().locator('time').first()).toHaveText('18:00');

	// Cancel the first one, with a reason.
	await dinners.first().getByRole('link', { name: title }).click();
	await page.getByLabel('Waarom gaat het niet door?').fill('Het buurthuis is dicht.');
	await page.getByRole('button', { name: 'Zet deze keer af' }).click();
	await expect(page.getByText('Reden: Het buurthuis is dicht.')).toBeVisible();

	await page.goto('/n/de-linde');
	const first = page.getByRole('listitem').filter({ hasText: title }).first();
	await expect(first).toContainText('Gaat niet door');
	await expect(page.getByRole('listitem').filter({ hasText: title }).nth(1)).not.toContainText('Gaat niet door');
	await context.close();
});

test('the agenda filters and shows free days as gaps, without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/n/de-linde');
	// Quiet days in a row are one short line for a visitor, and there is one invitation.
	await expect(page.getByTestId('quiet-days').first()).toHaveText(/^Nog niets gepland (op|van) /);
	await expect(page.getByText('Mis je iets in de buurt?')).toBeVisible();
	await expect(page.getByTestId('quiet-days').getByRole('link')).toHaveCount(0);

	await page.locator('summary', { hasText: 'Zoek gericht' }).click();
	await page.getByRole('checkbox', { name: 'Weekend' }).check();
	await page.getByRole('button', { name: 'Toon' }).click();
	await expect(page).toHaveURL(/weekend=1/);
	// Only Saturdays and Sundays remain.
	const headings = await page.getByRole('heading', { level: 2 }).filter({ hasNotText: 'In je agenda' }).allTextContents();
	expect(headings.length).toBeGreaterThan(0);
	for (const heading of headings) expect(heading.toLowerCase()).toMatch(/zaterdag|zondag/);
	await context.close();
});

test('an idea collects interest and becomes an activity, prefilled', async ({ browser }) => {
	const { context, page } = await joinedPage(browser, 'Idris');
	const idea = uniqueTitle('Zondagwandeling met koffie');
	await page.goto('/n/de-linde/ideas');
	await page.getByLabel('Je idee').fill(idea);
	await page.getByRole('button', { name: 'Zet idee erop' }).click();
	const card = page.getByTestId('idea').filter({ hasText: idea });
	await card.getByRole('button', { name: 'Ik doe mee' }).click();
	await expect(page.getByTestId('idea').filter({ hasText: idea })).toContainText('1 doet mee');

	await page.getByTestId('idea').filter({ hasText: idea }).getByRole('link', { name: 'Ik begin ermee' }).click();
	await expect(page.getByLabel('Naam', { exact: true })).toHaveValue(idea);
	await page.getByLabel('Plek', { exact: true }).fill('Ingang Lindepark');
	await page.getByRole('button', { name: 'Zet op de agenda' }).click();
	await expect(page).toHaveURL(/\/a\/[0-9a-f-]{36}\?created=1$/);
	await page.goto('/n/de-linde/ideas');
	await expect(page.getByTestId('idea').filter({ hasText: idea })).toContainText('Iemand is ermee begonnen');
	await context.close();
});
