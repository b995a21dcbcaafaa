import AxeBuilder from '@axe-core/playwright';
import { type Page } from '@playwright/test';
import { hashSecret } from '../../src/lib/server/auth/sealing.ts';
import { expect, test, createDemoInvite, joinAsNewcomer, makeCoordinator, sql } from './fixtures.ts';

/**
 * Automated WCAG 2.2 AA checks (axe) on every main page, as a visitor and as someone who runs
 * activities, at phone and desktop width. Zero violations.
 */
// axe on many pages takes a while on a small machine.
test.describe.configure({ timeout: 120_000 });

async function expectNoViolations(page: Page, what: string) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	const found = results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
	expect(found, `${what} has accessibility violations`).toEqual([]);
}

test('pages a visitor sees', async ({ page }) => {
	const code = await createDemoInvite();
	for (const path of ['/', '/join', `/join/${code}`, '/sign-in', '/n/de-linde', '/n/de-linde/ideas', '/n/de-linde/needs', '/this-page-does-not-exist']) {
		await page.goto(path);
		await expectNoViolations(page, path);
	}
	const [activity] = await sql<{ id: string }>(`select id from activity where title = 'Dinsdagdiner'`);
	await page.goto(`/a/${activity!.id}`);
	await expectNoViolations(page, 'activity page');
	const [gathering] = await sql<{ id: string }>(
		`select g.id from gathering g join activity a on a.id = g.activity_id where a.title = 'Dinsdagdiner' and g.starts_at > now() order by g.starts_at limit 1`
	);
	await page.goto(`/g/${gathering!.id}`);
	await expectNoViolations(page, 'board as a visitor');
});

test('pages a member who runs activities sees', async ({ browser }) => {
	const name = `Axel ${Math.random().toString(36).slice(2, 6).replace(/[0-9]/g, 'x')}`;
	const { context, page } = await joinAsNewcomer(browser, name);
	await expectNoViolations(page, 'welcome after joining');
	await makeCoordinator(name);
	const [activity] = await sql<{ id: string }>(`select id from activity where title = 'Dinsdagdiner'`);
	const [gathering] = await sql<{ id: string }>(
		`select g.id from gathering g join activity a on a.id = g.activity_id where a.title = 'Dinsdagdiner' and g.starts_at > now() order by g.starts_at limit 1`
	);
	await page.goto(`/g/${gathering!.id}`);
	await page.getByRole('button', { name: 'Ik kom' }).click();
	await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	await page.getByText('Hulp nodig om te komen?').click();
	await page.getByText('Kun jij iemand helpen?').click();
	await expectNoViolations(page, 'board as a host, help forms open');
	// A switched-off invite too, so its look is checked.
	await sql(`update invite set revoked_at = now() where code_hash = $1`, [hashSecret(await createDemoInvite())]);
	for (const path of [
		`/g/${gathering!.id}/door-list`,
		`/a/${activity!.id}`,
		`/a/${activity!.id}/edit`,
		'/n/de-linde/activities/new',
		'/invites',
		'/me',
		'/n/de-linde/needs',
		`/needs/new?gathering=${gathering!.id}`,
		'/offers',
		'/offers/new',
		'/organisations/new'
	]) {
		await page.goto(path);
		await expectNoViolations(page, path);
	}
	const [invite] = await sql<{ id: string }>(`select id from invite where revoked_at is null order by created_at desc limit 1`);
	await page.goto(`/invites/${invite!.id}/poster`);
	await expectNoViolations(page, 'poster');
	await context.close();
});

test('every main page reflows at 320 CSS pixels (as at 400% zoom on a small laptop, or 200% on a phone)', async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
	const page = await context.newPage();
	const [activity] = await sql<{ id: string }>(`select id from activity where title = 'Dinsdagdiner'`);
	const [gathering] = await sql<{ id: string }>(
		`select g.id from gathering g join activity a on a.id = g.activity_id where a.title = 'Dinsdagdiner' and g.starts_at > now() order by g.starts_at limit 1`
	);
	for (const path of ['/', '/join', `/join/${await createDemoInvite()}`, '/sign-in', '/n/de-linde', '/n/de-linde/ideas', `/a/${activity!.id}`, `/g/${gathering!.id}`]) {
		await page.goto(path);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow, `${path} scrolls sideways at 320 px`).toBeLessThanOrEqual(0);
	}
	await context.close();
});

test('a newcomer signs up for a dinner with the keyboard alone, always seeing where the focus is', async ({ browser }) => {
	const { context, page } = await joinAsNewcomer(browser, `Kees ${Math.random().toString(36).slice(2, 6).replace(/[0-9]/g, 'x')}`);
	const [gathering] = await sql<{ id: string }>(
		`select g.id from gathering g join activity a on a.id = g.activity_id where a.title = 'Dinsdagdiner' and g.starts_at > now() order by g.starts_at offset 2 limit 1`
	);
	await page.goto(`/g/${gathering!.id}`);
	// Tab until "I'm coming" has the focus; every stop on the way shows a visible outline.
	for (let i = 0; i < 40; i++) {
		await page.keyboard.press('Tab');
		const focused = await page.evaluate(() => {
			const el = document.activeElement as HTMLElement | null;
			if (!el || el === document.body) return null;
			const style = getComputedStyle(el);
			return { text: el.textContent?.trim() ?? '', outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
		});
		expect(focused, `focus stop ${i + 1}`).not.toBeNull();
		expect(focused!.outline, `focus on "${focused!.text}" is visible`).toBe(true);
		if (focused!.text === 'Ik kom') break;
	}
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	await context.close();
});
