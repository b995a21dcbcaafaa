import { expect, test, joinAsNewcomer, phone, sql } from './fixtures.ts';

/** A fresh date of its own in the demo neighbourhood, as a forwarded link would lead to. */
async function forwardedGathering() {
	const title = `Doorgestuurd diner ${Math.random().toString(36).slice(2, 7)}`;
	const rows = await sql<{ id: string; activity_id: string }>(
		`with a as (
			insert into activity (neighbourhood_id, title, kind, place_name, schedule_rrule, schedule_starts_at, duration_minutes, capacity)
			select id, $1, 'shared_dinner', 'Buurthuis', 'FREQ=DAILY;COUNT=1', (now() + interval '4 days')::timestamp, 120, 10
			from neighbourhood where slug = 'de-linde' returning id
		)
		insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at, is_extra)
		select id, now() + interval '4 days', now() + interval '4 days', now() + interval '4 days 2 hours', true from a returning id, activity_id`,
		[title]
	);
	return rows[0]!;
}

for (const javaScriptEnabled of [true, false]) {
	test(`a visitor with a forwarded board link joins right there, and "Ik kom" tapped to join is carried out, on a phone ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async ({
		browser
	}) => {
		const gathering = await forwardedGathering();
		const context = await browser.newContext({ ...phone, javaScriptEnabled });
		const page = await context.newPage();
		await page.goto(`/g/${gathering.id}`);
		const join = page.getByTestId('join-here');
		await expect(join).toContainText('Meedoen met De Linde betekent');
		// A name that is not one is explained, and nothing is joined.
		await join.getByLabel('Je voornaam').fill('   ');
		await join.getByRole('button', { name: 'Ik kom' }).click();
		await expect(page.getByTestId('join-here')).toContainText('Vul je voornaam in.');
		await expect(page.getByTestId('going-list')).toHaveCount(0);

		await page.getByTestId('join-here').getByLabel('Je voornaam').fill('Iris');
		await page.getByTestId('join-here').getByRole('button', { name: 'Ik kom' }).click();
		await expect(page).toHaveURL(new RegExp(`/g/${gathering.id}\\?welcome=1$`));
		await expect(page.getByTestId('welcome')).toContainText('Welkom, Iris!');
		await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
		await expect(page.getByTestId('going-list')).toContainText('Iris');
		await expect(page.getByTestId('join-here')).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Ik: Iris' })).toBeVisible();
		if (javaScriptEnabled) {
			// The open page now hears the board as someone on it: the next name arrives live.
			const neighbour = await joinAsNewcomer(browser, 'Joost');
			await neighbour.page.goto(`/g/${gathering.id}`);
			await neighbour.page.getByRole('button', { name: 'Ik kom' }).click();
			await expect(page.getByTestId('going-list')).toContainText('Joost');
			await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
			await neighbour.context.close();
		}

		// The way back, offered and never in the way.
		await page.getByRole('button', { name: 'Maak een terugkomlink' }).click();
		await expect(page.getByTestId('return-link')).toBeVisible();
		await context.close();
	});
}

test('a visitor joins on an activity page and on the ideas page, and stays where they were', async ({ browser }) => {
	const gathering = await forwardedGathering();
	const context = await browser.newContext({ ...phone });
	const page = await context.newPage();
	await page.goto(`/a/${gathering.activity_id}`);
	await page.getByTestId('join-here').getByLabel('Je voornaam').fill('Jet');
	await page.getByTestId('join-here').getByRole('button', { name: 'Ik doe mee' }).click();
	await expect(page).toHaveURL(new RegExp(`/a/${gathering.activity_id}\\?welcome=1$`));
	await expect(page.getByTestId('welcome')).toContainText('Welkom, Jet! Je doet nu mee. Kies hieronder een datum');

	const other = await browser.newContext({ ...phone });
	const visitor = await other.newPage();
	await visitor.goto('/n/de-linde');
	await visitor.getByRole('link', { name: 'Begin iets' }).last().click();
	await expect(visitor).toHaveURL(/\/n\/de-linde\/ideas$/);
	await visitor.getByTestId('join-here').getByLabel('Je voornaam').fill('Kees');
	await visitor.getByTestId('join-here').getByRole('button', { name: 'Ik doe mee' }).click();
	await expect(visitor).toHaveURL(/\/n\/de-linde\/ideas\?welcome=1$/);
	await expect(visitor.getByTestId('welcome')).toContainText('Welkom, Kees!');
	await expect(visitor.getByRole('heading', { name: 'Nieuw idee' })).toBeVisible();
	await context.close();
	await other.close();
});

/** A neighbourhood of its own with one date, so closing it touches no other test. */
async function otherNeighbourhoodGathering() {
	const slug = `elders-${Math.random().toString(36).slice(2, 8)}`;
	const rows = await sql<{ id: string; activity_id: string; neighbourhood_id: string }>(
		`with n as (insert into neighbourhood (slug, name) values ($1, 'Elders') returning id),
		a as (
			insert into activity (neighbourhood_id, title, kind, place_name, schedule_rrule, schedule_starts_at, duration_minutes, capacity)
			select id, 'Soep in Elders', 'shared_dinner', 'Wijkhuis', 'FREQ=DAILY;COUNT=1', (now() + interval '4 days')::timestamp, 120, 10 from n returning id
		)
		insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at, is_extra)
		select id, now() + interval '4 days', now() + interval '4 days', now() + interval '4 days 2 hours', true from a
		returning id, activity_id, (select id from n) as neighbourhood_id`,
		[slug]
	);
	return rows[0]!;
}

test('someone from another neighbourhood joins a forwarded board with one tap; a closed neighbourhood asks for a code', async ({ browser }) => {
	const elders = await otherNeighbourhoodGathering();
	const member = await joinAsNewcomer(browser, 'Lotte', { phone: true });
	// On the activity's page: one tap to join, and no "every time" for someone not of Elders yet.
	await member.page.goto(`/a/${elders.activity_id}`);
	await expect(member.page.getByTestId('join-here').getByRole('button', { name: 'Ik doe mee' })).toBeVisible();
	await expect(member.page.getByTestId('join-here').getByLabel('Je voornaam')).toHaveCount(0);
	await expect(member.page.getByRole('button', { name: 'Ik kom elke keer' })).toHaveCount(0);
	await member.page.goto(`/g/${elders.id}`);
	const join = member.page.getByTestId('join-here');
	await expect(join).toContainText('Meedoen met Elders betekent');
	await expect(join.getByLabel('Je voornaam')).toHaveCount(0);
	await join.getByRole('button', { name: 'Ik kom' }).click();
	await expect(member.page.getByTestId('welcome')).toContainText('Welkom, Lotte!');
	await expect(member.page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');

	// Closed by its coordinators: a visitor is asked for a code instead.
	await sql('update neighbourhood set open_for_joining = false where id = $1', [elders.neighbourhood_id]);
	const context = await browser.newContext({ ...phone });
	const visitor = await context.newPage();
	await visitor.goto(`/g/${elders.id}`);
	await expect(visitor.getByTestId('join-here')).toHaveCount(0);
	await expect(visitor.getByRole('link', { name: 'Heb je een code van een poster? Typ hem hier.' })).toBeVisible();
	await context.close();
	await member.context.close();
});

for (const javaScriptEnabled of [true, false]) {
	test(`a coordinator closes joining without a code on /invites and opens it again, on a phone ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async ({ browser }) => {
		const elders = await otherNeighbourhoodGathering();
		const name = `Coco ${Math.random().toString(36).slice(2, 6).replace(/[0-9]/g, 'x')}`;
		const coordinator = await joinAsNewcomer(browser, name, { phone: true, javaScriptEnabled });
		await sql(`insert into neighbourhood_member (neighbourhood_id, member_id, role) select $1, id, 'coordinator' from member where display_name = $2`, [elders.neighbourhood_id, name]);
		const visitorContext = await browser.newContext({ ...phone, javaScriptEnabled });
		const visitor = await visitorContext.newPage();
		await visitor.goto(`/g/${elders.id}`);
		await expect(visitor.getByTestId('join-here')).toContainText('Meedoen met Elders betekent');

		await coordinator.page.goto('/invites');
		const switch_ = coordinator.page.getByTestId('openness').filter({ hasText: 'Meedoen zonder code in Elders' });
		await expect(switch_).toContainText('kan daar meedoen met alleen een voornaam');
		await switch_.getByRole('button', { name: 'Alleen met een code' }).click();
		await expect(switch_.getByRole('status')).toHaveText('Opgeslagen.');
		await expect(switch_).toContainText('Alleen wie een code of uitnodigingslink heeft, kan meedoen.');
		await visitor.reload();
		await expect(visitor.getByTestId('join-here')).toHaveCount(0);
		await expect(visitor.getByRole('link', { name: 'Heb je een code van een poster? Typ hem hier.' })).toBeVisible();

		await switch_.getByRole('button', { name: 'Iedereen mag meedoen' }).click();
		await expect(switch_).toContainText('kan daar meedoen met alleen een voornaam');
		await visitor.reload();
		await expect(visitor.getByTestId('join-here')).toBeVisible();
		await Promise.all([visitorContext.close(), coordinator.context.close()]);
	});
}
