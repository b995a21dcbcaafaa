import { type Page } from '@playwright/test';
import { expect, test, createDemoInvite, holdPageScripts, joinAsNewcomer, makeCoordinator, sql } from './fixtures.ts';

/** A unique first name per test run, so parallel tests never meet. */
const uniqueName = (base: string) => `${base} ${Math.random().toString(36).slice(2, 6).replace(/[0-9]/g, 'x')}`;

async function makeReturnLink(page: Page) {
	await page.goto('/me');
	await page.getByRole('button', { name: /Maak (mijn|een nieuwe) link/ }).click();
	return (await page.getByTestId('return-link').getAttribute('href'))!;
}

test('a newcomer joins from a poster code with a first name and one tap, without JavaScript', async ({ browser }) => {
	const code = await createDemoInvite({ activityTitle: 'Dinsdagdiner' });
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto(`/join/${code}`);

	// What it is, when, where, what it costs and who hosts — and nobody else's name.
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Doe mee: Dinsdagdiner');
	await expect(page.getByText('Buurthuis De Linde, Lindeplein 4')).toBeVisible();
	await expect(page.getByText('Gratis')).toBeVisible();
	await expect(page.getByText('Fatima')).toBeVisible();
	await expect(page.getByText(/Je hebt alleen je voornaam nodig/)).toBeVisible();

	const name = uniqueName('Noor');
	await page.getByLabel('Je voornaam').fill(name);
	await page.getByRole('button', { name: 'Doe mee' }).click();
	await expect(page).toHaveURL(/\/a\/[0-9a-f-]{36}\?welcome=1$/);
	await expect(page.getByRole('link', { name: `Ik: ${name}` })).toBeVisible();
	// Welcomed by name, with the next step and the way back.
	await expect(page.getByTestId('welcome')).toContainText(`Welkom, ${name}! Je doet nu mee. Kies hieronder een datum`);
	await expect(page.getByTestId('welcome').getByRole('button', { name: 'Maak een terugkomlink' })).toBeVisible();

	// The session cookie is HttpOnly and long-lived.
	const session = (await context.cookies()).find((c) => c.name === 'buurtbord.session_token');
	expect(session?.httpOnly).toBe(true);
	expect(session!.expires * 1000 - Date.now()).toBeGreaterThan(300 * 86_400_000);

	// Coming back with the same link on this device needs no step at all.
	await page.goto(`/join/${code}`);
	await expect(page).toHaveURL(/\/a\/[0-9a-f-]{36}$/);
	await context.close();
});

test('a newcomer who joins in English goes on in English, the page saying so to screen readers', async ({ browser }) => {
	const code = await createDemoInvite({ activityTitle: 'Dinsdagdiner' });
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`/join/${code}`);
	await page.waitForLoadState('networkidle');
	const name = uniqueName('Sam');
	await page.getByLabel('Je voornaam').fill(name);
	await page.getByRole('radio', { name: 'English' }).check();
	await page.getByRole('button', { name: 'Doe mee' }).click();
	// The form answers without a page load; what follows is in English, and the page says so.
	await expect(page).toHaveURL(/\/a\/[0-9a-f-]{36}\?welcome=1$/);
	await expect(page.getByRole('link', { name: `Me: ${name}` })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
	await context.close();
});

test('on a slow phone, a name typed before the page has started is kept', async ({ browser }) => {
	const code = await createDemoInvite();
	const context = await browser.newContext();
	const page = await context.newPage();
	const releaseScripts = await holdPageScripts(page);
	await page.goto(`/join/${code}`, { waitUntil: 'domcontentloaded' });
	const name = uniqueName('Mila');
	await page.getByLabel('Je voornaam').fill(name);
	releaseScripts();
	await page.waitForLoadState('networkidle');
	await expect(page.getByLabel('Je voornaam')).toHaveValue(name);
	await page.getByRole('button', { name: 'Doe mee' }).click();
	await expect(page.getByRole('link', { name: `Ik: ${name}` })).toBeVisible();
	await context.close();
});

test('a wrong name is explained in the chosen language and nothing typed is lost', async ({ browser }) => {
	const code = await createDemoInvite();
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`/join/${code}`);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome to De Linde');
	await page.getByLabel('Your first name').fill('<b>Bold</b>');
	await page.getByRole('button', { name: 'Join' }).click();
	await expect(page.getByText('Please use only letters, numbers, spaces, a dash or an apostrophe.')).toBeVisible();
	await expect(page.getByLabel('Your first name')).toHaveValue('<b>Bold</b>');
	await expect(page.getByLabel('Your first name')).toHaveAttribute('aria-invalid', 'true');
	await context.close();
});

test('a member continues on a second device with their return link, and can switch it off', async ({ browser }) => {
	const name = uniqueName('Ayla');
	const { context: phone, page } = await joinAsNewcomer(browser, name);
	const link = await makeReturnLink(page);
	expect(link).toMatch(/\/r\/[A-Za-z0-9_-]{43}$/);
	await expect(page.locator('.qr svg')).toBeVisible();

	const laptop = await browser.newContext();
	const laptopPage = await laptop.newPage();
	await laptopPage.goto(link);
	await laptopPage.getByRole('button', { name: 'Verder op dit apparaat' }).click();
	await expect(laptopPage.getByText(`Welkom terug, ${name}.`)).toBeVisible();
	// Both devices are listed; the laptop can end the phone's session.
	await expect(laptopPage.getByRole('button', { name: 'Uitloggen daar' })).toHaveCount(1);

	await page.goto('/me');
	await page.getByRole('button', { name: 'Zet mijn link uit' }).click();
	await expect(page.getByText('Je link werkt niet meer.')).toBeVisible();
	const stranger = await browser.newContext();
	const strangerPage = await stranger.newPage();
	await strangerPage.goto(link);
	await strangerPage.getByRole('button', { name: 'Verder op dit apparaat' }).click();
	await expect(strangerPage.getByText('Deze link werkt niet meer.')).toBeVisible();
	await expect(strangerPage.getByRole('link', { name: 'Inloggen' })).toBeVisible();

	await laptopPage.goto('/me');
	await laptopPage.getByRole('button', { name: 'Uitloggen daar' }).click();
	await page.goto('/me');
	await expect(page).toHaveURL(/\/sign-in$/);
	await Promise.all([phone.close(), laptop.close(), stranger.close()]);
});

test('a coordinator makes an invite and a poster, then switches it off; the code is refused kindly', async ({ browser }) => {
	const name = uniqueName('Carla');
	const { context, page } = await joinAsNewcomer(browser, name);
	await makeCoordinator(name);

	const label = `Poster ${name}`;
	await page.goto('/invites');
	await page.getByLabel('Naam voor jezelf (mag leeg)').fill(label);
	await page.getByRole('button', { name: 'Maak uitnodiging' }).click();
	const invite = page.getByTestId('invite').filter({ hasText: label });
	await expect(invite).toContainText('0 keer gebruikt');
	const code = (await invite.locator('.code').textContent())!.trim();
	expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);

	await invite.getByRole('link', { name: 'Poster' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Doe mee in De Linde');
	await expect(page.locator('.poster svg')).toBeVisible();
	await expect(page.locator('.poster')).toContainText(code);
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('.site-header')).toBeHidden();
	await page.emulateMedia({ media: 'screen' });

	// Typing the code from paper, in lower case, finds the same invite.
	const reader = await browser.newContext();
	const readerPage = await reader.newPage();
	await readerPage.goto('/join');
	await readerPage.getByLabel('Code van de poster of uitnodiging').fill(code.toLowerCase());
	await readerPage.getByRole('button', { name: 'Verder' }).click();
	await expect(readerPage.getByRole('heading', { level: 1 })).toHaveText('Welkom in De Linde');

	await page.goto('/invites');
	await invite.getByRole('button', { name: 'Zet uit' }).click();
	await expect(invite).toContainText('Uitgezet');

	const response = await readerPage.goto(`/join/${code.replace('-', '')}`);
	expect(response?.status()).toBe(410);
	await expect(readerPage.getByText('Deze uitnodiging werkt niet meer. Vraag de persoon die hem gaf om een nieuwe.')).toBeVisible();
	await Promise.all([context.close(), reader.close()]);
});

test('a member adds an e-mail address, confirms it and signs in elsewhere by magic link', async ({ browser }) => {
	const name = uniqueName('Sanne');
	const email = `${name.replace(' ', '.').toLowerCase()}@example.org`;
	const { context, page } = await joinAsNewcomer(browser, name);
	await page.goto('/me');
	await page.getByLabel('E-mailadres').fill(email);
	await page.getByRole('button', { name: 'Stuur een bevestiging' }).click();
	await expect(page.getByText('We hebben een mail gestuurd.')).toBeVisible();

	const mail = async (subject: string) => {
		await page.goto('/dev/outbox');
		const message = page.getByTestId('outbox-message').filter({ hasText: email }).filter({ hasText: subject }).first();
		return /(http:\/\/\S+)/.exec((await message.locator('pre').textContent())!)![1]!;
	};
	await page.goto(await mail('Bevestig je e-mailadres'));
	await expect(page.getByText(`${email} · bevestigd`)).toBeVisible();

	const other = await browser.newContext();
	const otherPage = await other.newPage();
	await otherPage.goto('/sign-in');
	await otherPage.getByLabel('E-mailadres').fill(email);
	await otherPage.getByRole('button', { name: 'Stuur mij een link' }).click();
	await expect(otherPage.getByText(/Als we dit adres kennen/)).toBeVisible();
	await otherPage.goto(await mail('Je link om in te loggen'));
	await expect(otherPage.getByRole('link', { name: `Ik: ${name}` })).toBeVisible();
	await Promise.all([context.close(), other.close()]);
});

test('a member downloads their data and deletes their account', async ({ browser }) => {
	const name = uniqueName('Vera');
	const { context, page } = await joinAsNewcomer(browser, name);
	const exported = await page.request.get('/me/export.json');
	expect(exported.headers()['content-disposition']).toContain('attachment');
	const data = await exported.json();
	expect(data.member.display_name).toBe(name);
	expect(data.neighbourhoods[0].neighbourhood).toBe('De Linde');

	await page.goto('/me');
	await page.getByRole('button', { name: 'Account verwijderen' }).click();
	await expect(page.getByText('Zet eerst het vinkje')).toBeVisible();
	await page.getByLabel('Ja, verwijder mijn account').check();
	await page.getByRole('button', { name: 'Account verwijderen' }).click();
	await expect(page.getByRole('link', { name: 'Inloggen' })).toBeVisible();
	// Told that it happened, where they land.
	await expect(page.getByTestId('account-deleted')).toContainText('Je account is verwijderd');
	expect(await sql('select 1 from member where display_name = $1', [name])).toEqual([]);
	await context.close();
});
