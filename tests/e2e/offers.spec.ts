import { expect, test, holdPageScripts, joinAsNewcomer, makeCoordinator, sql } from './fixtures.ts';

/** A fresh gathering in the demo neighbourhood, hosted by the member with this display name. */
async function hostedGathering(hostName: string) {
	const rows = await sql<{ id: string }>(
		`with a as (
			insert into activity (neighbourhood_id, title, kind, place_name, schedule_rrule, schedule_starts_at, duration_minutes, created_by)
			select n.id, $1, 'themed_evening', 'Buurthuis', 'FREQ=DAILY;COUNT=1', (now() + interval '5 days')::timestamp, 120,
				(select id from member where display_name = $2)
			from neighbourhood n where n.slug = 'de-linde' returning id
		)
		insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at, is_extra)
		select id, now() + interval '5 days', now() + interval '5 days', now() + interval '5 days 2 hours', true from a returning id`,
		[`Thema-avond ${hostName}`, hostName]
	);
	return rows[0]!.id;
}

const suffix = () => Math.random().toString(36).slice(2, 7).replace(/[0-9]/g, 'q');

test('a host asks for chairs, an organisation offers them from another browser, the host sees it arrive and accepts, and both see each other’s contact', async ({
	browser
}) => {
	const hostName = `Hester ${suffix()}`;
	const orgName = `Stoelenbank ${suffix()}`;
	const host = await joinAsNewcomer(browser, hostName);
	await makeCoordinator(hostName);
	const gathering = await hostedGathering(hostName);
	const giver = await joinAsNewcomer(browser, `Olga ${suffix()}`);

	// The giver registers an organisation for the demo neighbourhood; the coordinator approves it.
	await giver.page.goto('/organisations/new?n=de-linde');
	await giver.page.getByLabel('Naam van de organisatie').fill(orgName);
	await giver.page.getByLabel('Contact voor organisatoren van activiteiten').fill('Stoelenbank: 020-1234567');
	await giver.page.getByRole('button', { name: 'Aanmelden' }).click();
	await expect(giver.page.getByText('Aangemeld. Een coördinator kijkt ernaar.')).toBeVisible();

	await host.page.goto('/n/de-linde/needs');
	const waiting = host.page.getByTestId('organisation').filter({ hasText: orgName });
	await expect(waiting).toContainText('Wacht op goedkeuring');
	await waiting.getByRole('button', { name: 'Goedkeuren' }).click();
	await expect(host.page.getByTestId('organisation').filter({ hasText: orgName })).not.toContainText('Wacht op goedkeuring');

	// The host asks for help from the gathering page.
	await host.page.goto(`/g/${gathering}`);
	await host.page.getByTestId('gathering-needs').getByRole('link', { name: 'Vraag om hulp', exact: true }).click();
	await host.page.getByLabel(/Spullen/).check();
	await host.page.getByLabel('Wat is er nodig?').fill('Klapstoelen');
	await host.page.getByLabel('Hoeveel?').fill('20');
	await host.page.getByRole('button', { name: 'Vraag om hulp' }).click();
	await host.page.waitForURL(/\/needs\/[0-9a-f-]{36}$/);
	const needUrl = new URL(host.page.url()).pathname;
	await expect(host.page.getByTestId('need-progress')).toContainText('0 van 20 toegezegd');

	// The organisation's member offers all 20 from another browser.
	// On a slow phone they fill in the form before the page's script has arrived: nothing typed is lost.
	const releaseScripts = await holdPageScripts(giver.page);
	await giver.page.goto(needUrl, { waitUntil: 'domcontentloaded' });
	await giver.page.getByLabel('Namens').selectOption({ label: orgName });
	await giver.page.getByLabel('Hoeveel?').fill('20');
	await giver.page.getByLabel(/Hoe kan de organisator je bereiken/).fill('Stoelenbank: 020-1234567');
	releaseScripts();
	await giver.page.waitForLoadState('networkidle');
	await expect(giver.page.getByLabel('Hoeveel?')).toHaveValue('20');
	await expect(giver.page.getByLabel(/Hoe kan de organisator je bereiken/)).toHaveValue('Stoelenbank: 020-1234567');
	await giver.page.getByRole('button', { name: 'Ik kan helpen' }).click();
	await expect(giver.page.getByText('Dank je! De organisator ziet nu je aanbod.')).toBeVisible();

	// The host sees it arrive without reloading; no contact yet.
	const pledge = host.page.getByTestId('pledge').filter({ hasText: orgName });
	await expect(pledge).toContainText('Aangeboden');
	await expect(host.page.getByTestId('need-progress')).toContainText('20 van 20 toegezegd');
	await expect(pledge).not.toContainText('020-1234567');

	await pledge.getByLabel(/Hoe kan de helper jou bereiken/).fill('Hester: 06-11112222');
	await pledge.getByRole('button', { name: 'Aannemen' }).click();
	await expect(host.page.getByTestId('pledge').filter({ hasText: orgName }).getByTestId('their-contact')).toHaveText('Contact: Stoelenbank: 020-1234567');
	// The giver's open page follows by itself.
	await expect(giver.page.getByTestId('pledge').getByTestId('their-contact')).toHaveText('Contact: Hester: 06-11112222');
	await expect(giver.page.getByTestId('pledge')).toContainText('Aangenomen');

	// The gathering page shows the need as filled.
	await host.page.goto(`/g/${gathering}`);
	await expect(host.page.getByTestId('gathering-need')).toContainText('Alles is toegezegd');
	await Promise.all([host.context.close(), giver.context.close()]);
});

test('a need asked while a gathering page is open appears on it, and its pledges count, without a reload', async ({ browser }) => {
	const hostName = `Hester ${suffix()}`;
	const host = await joinAsNewcomer(browser, hostName);
	const gathering = await hostedGathering(hostName);
	const visitor = await browser.newContext();
	const page = await visitor.newPage();
	await page.goto(`/g/${gathering}`);
	await expect(page.getByTestId('board-count')).toBeVisible();
	await expect(page.getByTestId('gathering-needs')).toHaveCount(0);
	let loads = 0;
	page.on('load', () => loads++);
	// However the need is asked (here straight in the database), the open page hears it.
	const [need] = await sql<{ id: string }>(
		`insert into need (activity_id, gathering_id, kind, title, quantity, created_by)
		select g.activity_id, g.id, 'materials', 'Klapstoelen', 20, m.id from gathering g, member m where g.id = $1 and m.display_name = $2 returning id`,
		[gathering, hostName]
	);
	await expect(page.getByTestId('gathering-need')).toContainText('Klapstoelen');
	await expect(page.getByTestId('need-progress')).toContainText('0 van 20 toegezegd');
	await sql('update need set pledged = 20 where id = $1', [need!.id]);
	await expect(page.getByTestId('need-progress')).toContainText('20 van 20 toegezegd');
	expect(loads).toBe(0);
	await Promise.all([host.context.close(), visitor.close()]);
});

test('a giver with the gathering page open sees their offer accepted without a reload', async ({ browser }) => {
	const hostName = `Hester ${suffix()}`;
	const giverName = `Gerrit ${suffix()}`;
	const host = await joinAsNewcomer(browser, hostName);
	const giver = await joinAsNewcomer(browser, giverName);
	const gathering = await hostedGathering(hostName);
	const [need] = await sql<{ id: string }>(
		`insert into need (activity_id, gathering_id, kind, title, quantity, created_by)
		select g.activity_id, g.id, 'materials', 'Klapstoelen', 20, m.id from gathering g, member m where g.id = $1 and m.display_name = $2 returning id`,
		[gathering, hostName]
	);
	await sql(`insert into pledge (need_id, member_id, quantity) select $1, id, 10 from member where display_name = $2`, [need!.id, giverName]);
	await sql('update need set pledged = 10 where id = $1', [need!.id]);
	await giver.page.goto(`/g/${gathering}`);
	await expect(giver.page.getByTestId('gathering-need')).toContainText('Aangeboden');
	let loads = 0;
	giver.page.on('load', () => loads++);
	// The host says yes (here straight in the database): the need's figures stay the same, and the
	// giver's open page still shows it at once.
	await sql(`update pledge set status = 'accepted', decided_at = now() where need_id = $1`, [need!.id]);
	await expect(giver.page.getByTestId('gathering-need')).toContainText('Aangenomen');
	expect(loads).toBe(0);
	await Promise.all([host.context.close(), giver.context.close()]);
});

test('without JavaScript: filter the needs by kind and date, offer help, and withdraw it', async ({ browser }) => {
	const hostName = `Henk ${suffix()}`;
	const host = await joinAsNewcomer(browser, hostName);
	const gathering = await hostedGathering(hostName);
	const title = `Afwassers ${suffix()}`;
	await sql(
		`insert into need (activity_id, neighbourhood_id, gathering_id, kind, title, quantity, created_by)
		 select g.activity_id, a.neighbourhood_id, g.id, 'hands', $2, 3, a.created_by
		 from gathering g join activity a on a.id = g.activity_id where g.id = $1`,
		[gathering, title]
	);
	const { context, page } = await joinAsNewcomer(browser, `Nina ${suffix()}`, { javaScriptEnabled: false });

	await page.goto('/n/de-linde/needs');
	await page.getByLabel('Soort hulp').selectOption({ label: 'Kennis' });
	await page.getByRole('button', { name: 'Toon' }).click();
	await expect(page).toHaveURL(/kind=knowledge/);
	await expect(page.getByTestId('need').filter({ hasText: title })).toHaveCount(0);

	await page.goto('/n/de-linde/needs?kind=hands&from=2000-01-01');
	const need = page.getByTestId('need').filter({ hasText: title });
	await expect(need).toContainText('0 van 3 toegezegd');
	await need.getByRole('link', { name: 'Ik kan helpen' }).click();
	await page.getByLabel('Hoeveel?').fill('2');
	await page.getByRole('button', { name: 'Ik kan helpen' }).click();
	await expect(page.getByText('Dank je! De organisator ziet nu je aanbod.')).toBeVisible();
	await expect(page.getByTestId('need-progress')).toContainText('2 van 3 toegezegd');

	await page.getByRole('button', { name: 'Intrekken' }).click();
	await expect(page.getByTestId('need-progress')).toContainText('0 van 3 toegezegd');
	await expect(page.getByTestId('pledge')).toContainText('Ingetrokken');
	await Promise.all([context.close(), host.context.close()]);
});

test('a colleague joins an organisation through a link shown once', async ({ browser }) => {
	const orgName = `Buurtwerk ${suffix()}`;
	const founder = await joinAsNewcomer(browser, `Fenna ${suffix()}`);
	await founder.page.goto('/organisations/new?n=de-linde');
	await founder.page.getByLabel('Naam van de organisatie').fill(orgName);
	await founder.page.getByRole('button', { name: 'Aanmelden' }).click();
	await founder.page.waitForURL(/created=1/);
	await founder.page.getByRole('button', { name: 'Maak een link' }).click();
	const link = (await founder.page.getByTestId('colleague-link').textContent())!.trim();
	expect(link).toMatch(/\/organisations\/join\/[A-Za-z0-9_-]{43}$/);

	const colleague = await joinAsNewcomer(browser, `Kees ${suffix()}`);
	await colleague.page.goto(new URL(link).pathname);
	await expect(colleague.page.getByRole('heading', { name: `Doe mee met ${orgName}` })).toBeVisible();
	await colleague.page.getByRole('button', { name: 'Doe mee' }).click();
	await expect(colleague.page.getByRole('heading', { name: 'Gegevens aanpassen' })).toBeVisible();

	// Switched off, the link leads nowhere.
	await founder.page.reload();
	await founder.page.getByRole('button', { name: 'Zet de link uit' }).click();
	await expect(founder.page.getByRole('button', { name: 'Zet de link uit' })).toHaveCount(0);
	await colleague.page.goto(new URL(link).pathname);
	await expect(colleague.page.getByText('Deze link werkt niet meer.')).toBeVisible();
	await Promise.all([founder.context.close(), colleague.context.close()]);
});
