import { expect, test } from './fixtures.ts';

/** Can be added to a home screen, and says kindly when the phone is offline. */
test('the web app manifest names the app and its icons load', async ({ page, request }) => {
	await page.goto('/');
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	expect(href).toBeTruthy();
	const manifest = await (await request.get(href!)).json();
	expect(manifest).toMatchObject({ name: 'Buurtbord', start_url: '/', display: 'standalone' });
	const sizes = manifest.icons.map((icon: { sizes: string }) => icon.sizes);
	expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
	expect(manifest.icons.some((icon: { purpose?: string }) => icon.purpose === 'maskable')).toBe(true);
	for (const icon of manifest.icons as { src: string; type: string }[]) {
		const response = await request.get(icon.src);
		expect(response.ok(), icon.src).toBe(true);
		expect(response.headers()['content-type']).toContain(icon.type.split('+')[0]);
	}
});

test('offline, a page opens a kind offline page instead of a browser error', async ({ page, context }) => {
	await page.goto('/');
	// Wait until the service worker controls the page (it claims open pages when it activates).
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
	await context.setOffline(true);
	await page.goto('/n/de-linde').catch(() => undefined);
	await expect(page.getByRole('heading', { name: 'Je hebt nu geen internet' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'You are offline right now' })).toBeVisible();
	// Its style sheet comes from the service worker's store too (no inline styles under the CSP).
	await expect(page.getByRole('link', { name: 'Probeer opnieuw' })).toHaveCSS('background-color', 'rgb(164, 71, 15)');
	await context.setOffline(false);
	await page.getByRole('link', { name: 'Probeer opnieuw' }).click();
	await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Je hebt nu geen internet');
});
