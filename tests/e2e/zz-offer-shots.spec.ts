import { test } from '@playwright/test';
import { joinAsNewcomer, makeCoordinator, sql } from './fixtures.ts';

test('screenshots', async ({ browser }, info) => {
	test.setTimeout(120_000);
	const w = info.project.name;
	const host = await joinAsNewcomer(browser, `Hester${w}`);
	await makeCoordinator(`Hester${w}`);
	const rows = await sql<{ id: string }>(
		`with a as (
			insert into activity (neighbourhood_id, title, kind, place_name, schedule_rrule, schedule_starts_at, duration_minutes, created_by)
			select n.id, 'Thema-avond energie', 'themed_evening', 'Buurthuis', 'FREQ=DAILY;COUNT=1', (now() + interval '5 days')::timestamp, 120,
				(select id from member where display_name = $1)
			from neighbourhood n where n.slug = 'de-linde' returning id
		)
		insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at, is_extra)
		select id, now() + interval '5 days', now() + interval '5 days', now() + interval '5 days 2 hours', true from a returning id`,
		[`Hester${w}`]
	);
	const g = rows[0]!.id;
	const giver = await joinAsNewcomer(browser, `Olga${w}`);
	const shot = async (page: import('@playwright/test').Page, name: string) => page.screenshot({ path: `/tmp/offer-shots/${w}-${name}.png`, fullPage: true });

	await giver.page.goto('/organisations/new?n=de-linde');
	await shot(giver.page, 'org-new');
	await giver.page.getByLabel('Naam van de organisatie').fill(`Bibliotheek ${w}`);
	await giver.page.getByLabel('Wat doet de organisatie?').fill('Wij lenen boeken, stoelen en tafels uit aan buurtinitiatieven.');
	await giver.page.getByLabel('Contact voor organisatoren van activiteiten').fill('Balie: 020-1234567');
	await giver.page.getByRole('button', { name: 'Aanmelden' }).click();
	await giver.page.waitForURL(/created=1/);
	await host.page.goto('/n/de-linde/needs');
	await shot(host.page, 'needs-coordinator-before');
	await host.page.getByTestId('organisation').filter({ hasText: `Bibliotheek ${w}` }).getByRole('button', { name: 'Goedkeuren' }).click();
	await host.page.waitForLoadState('networkidle');

	await host.page.goto(`/needs/new?gathering=${g}`);
	await shot(host.page, 'need-new');
	await host.page.getByLabel(/Spullen/).check();
	await host.page.getByLabel('Wat is er nodig?').fill('Klapstoelen');
	await host.page.getByLabel('Hoeveel?').fill('20');
	await host.page.getByRole('button', { name: 'Vraag om hulp' }).click();
	await host.page.waitForURL(/\/needs\/[0-9a-f-]{36}$/);
	const needUrl = new URL(host.page.url()).pathname;

	await giver.page.goto('/offers/new?n=de-linde');
	await shot(giver.page, 'offer-new');
	await giver.page.getByLabel('Namens').first().selectOption({ label: `Bibliotheek ${w}` });
	await giver.page.getByLabel(/Spullen/).check();
	await giver.page.getByLabel('Wat bied je aan?').fill('Klapstoelen');
	await giver.page.getByLabel(/Hoeveel\? \(mensen/).fill('40');
	await giver.page.getByLabel('Te leen').check();
	await giver.page.getByLabel('Wordt gebracht').check();
	await giver.page.getByRole('button', { name: 'Bewaar' }).click();
	await giver.page.waitForURL(/\/offers\?saved=1/);
	await shot(giver.page, 'offers-mine');

	await host.page.goto(needUrl);
	await shot(host.page, 'need-host-suggestions');
	await giver.page.goto(needUrl);
	await shot(giver.page, 'need-giver');
	await giver.page.getByLabel('Namens').selectOption({ label: `Bibliotheek ${w}` });
	await giver.page.getByLabel(/Hoe kan de organisator/).fill('Balie: 020-1234567');
	await giver.page.getByRole('button', { name: 'Ik kan helpen' }).click();
	await giver.page.getByText('Dank je!').waitFor();
	await host.page.getByTestId('pledge').waitFor();
	await shot(host.page, 'need-host-pledge');
	await host.page.getByTestId('pledge').getByLabel(/Hoe kan de helper/).fill('Hester: 06-11112222');
	await host.page.getByRole('button', { name: 'Aannemen' }).click();
	await host.page.getByTestId('their-contact').waitFor();
	await host.page.getByRole('button', { name: 'Is gedaan' }).click();
	await host.page.getByLabel('Bedankje').fill('Heel fijn, dank jullie!');
	await host.page.getByRole('button', { name: 'Bedank' }).click();
	await host.page.getByText('Bedankt:').waitFor();
	await shot(host.page, 'need-host-done');
	await giver.page.goto(needUrl);
	await shot(giver.page, 'need-giver-accepted');

	await host.page.goto(`/g/${g}`);
	await shot(host.page, 'gathering');
	await host.page.goto('/n/de-linde/needs');
	await shot(host.page, 'needs-member');
	const visitor = await browser.newContext();
	const vp = await visitor.newPage();
	await vp.goto('/n/de-linde/needs?kind=materials');
	await shot(vp, 'needs-visitor');
	const orgId = await sql<{ id: string }>(`select id from organisation where name = $1`, [`Bibliotheek ${w}`]);
	await vp.goto(`/organisations/${orgId[0]!.id}`);
	await shot(vp, 'org-visitor');
	await giver.page.goto(`/organisations/${orgId[0]!.id}`);
	await shot(giver.page, 'org-member');
	await giver.page.goto('/n/de-linde');
	await shot(giver.page, 'neighbourhood');
});
