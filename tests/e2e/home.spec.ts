import { expect, test } from './fixtures.ts';

test.describe('home: the demo neighbourhood’s agenda', () => {
	test('is server-rendered in Dutch and useful without JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto('/');
		await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wat is er te doen in De Linde?');
		// Days with gatherings, each gathering with its time and its kind in words.
		await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
		await expect(page.getByRole('heading', { level: 3, name: 'Dinsdagdiner' }).first()).toBeVisible();
		await expect(page.getByText('Samen eten').first()).toBeVisible();
		const dinner = page.getByRole('listitem').filter({ hasText: 'Dinsdagdiner' }).first();
		await expect(dinner.locator('time').first()).toHaveText('18:00');
		await expect(dinner.locator('time').nth(1)).toHaveText('20:30');
		await context.close();
	});

	test('switches to English and remembers it, also without JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto('/');
		await page.getByRole('button', { name: 'English' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText("What's on in De Linde?");
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');

		await page.goto('/');
		await expect(page.getByText('Shared dinner').first()).toBeVisible();
		await page.getByRole('button', { name: 'Nederlands' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wat is er te doen in De Linde?');
		await context.close();
	});

	test('shows live how many people are looking, changing when a second person opens it', async ({ browser }, testInfo) => {
		// The count is shared server state: checked in one project so parallel runs do not mix.
		test.skip(testInfo.project.name !== 'desktop', 'checked once, on desktop');
		const first = await browser.newContext();
		const second = await browser.newContext();
		const firstPage = await first.newPage();
		const looking = firstPage.getByTestId('looking-now').locator('[data-count]');

		await firstPage.goto('/');
		await expect(looking).toBeVisible();
		const before = Number(await looking.getAttribute('data-count'));
		expect(before).toBeGreaterThanOrEqual(1);

		const secondPage = await second.newPage();
		await secondPage.goto('/');
		await expect(looking).toHaveAttribute('data-count', String(before + 1));
		await expect(secondPage.getByTestId('looking-now').locator('[data-count]')).toHaveAttribute(
			'data-count',
			String(before + 1)
		);
		await expect(looking).toContainText(`${before + 1} mensen kijken nu naar deze pagina`);

		await second.close();
		await expect(looking).toHaveAttribute('data-count', String(before));
		await first.close();
	});

	test('an unknown page answers 404 with a friendly Dutch message', async ({ page }) => {
		const response = await page.goto('/bestaat-niet');
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Niet gevonden');
		await expect(page.getByText('Deze pagina bestaat niet (meer).')).toBeVisible();
		await expect(page.getByRole('link', { name: 'Terug naar de agenda' })).toHaveAttribute('href', '/');
	});
});

test('/healthz reports the database and PostgREST', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	expect(await response.json()).toMatchObject({
		status: 'ok',
		database: { status: 'ok' },
		postgrest: { status: 'ok' }
	});
});
