import { clickAndWaitForAnswer, expect, test, holdPageScripts, joinAsNewcomer, makeCoordinator, smallGathering, sql } from './fixtures.ts';

const member = joinAsNewcomer;

test('a sign-up on one board appears on another without reload, and a promotion reaches the promoted person', async ({ browser }) => {
	const gathering = await smallGathering(1);
	const anna = await member(browser, 'Anna');
	const bo = await member(browser, 'Bo');
	await anna.page.goto(`/g/${gathering}`);
	await bo.page.goto(`/g/${gathering}`);
	await expect(bo.page.getByTestId('board-count')).toContainText('0 van de 1 plaatsen zijn bezet');

	await anna.page.getByRole('button', { name: 'Ik kom' }).click();
	await expect(anna.page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	// Bo sees it arrive live.
	await expect(bo.page.getByTestId('board-count')).toContainText('1 van de 1 plaatsen is bezet');

	// Full: Bo joins the waitlist, and Anna sees Bo there.
	await bo.page.getByRole('button', { name: 'Ik kom' }).click();
	await expect(bo.page.getByTestId('my-status')).toContainText('op de wachtlijst als nummer 1.');
	await expect(anna.page.getByTestId('waitlist')).toContainText('Bo');

	// Anna can't come after all: Bo moves up and is told so, without reloading.
	await anna.page.getByRole('button', { name: 'Ik kan niet' }).click();
	await expect(bo.page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	await expect(bo.page.getByText('Er kwam een plek vrij')).toBeVisible();
	await Promise.all([anna.context.close(), bo.context.close()]);
});

test('a change heard while one’s own answer is loading is not undone by that answer', async ({ browser }) => {
	const gathering = await smallGathering(1);
	const anna = await member(browser, 'Anna');
	const bo = await member(browser, 'Bo');
	await anna.page.goto(`/g/${gathering}`);
	await bo.page.goto(`/g/${gathering}`);
	// After Anna's answer her page reads its data again. That read is made at once (before Bo
	// signs up) but reaches the page only after Bo's sign-up has arrived over the socket.
	let markRead!: () => void;
	const read = new Promise<void>((done) => (markRead = done));
	let deliver!: () => void;
	const delivered = new Promise<void>((done) => (deliver = done));
	await anna.page.route('**/__data.json*', async (route) => {
		const response = await route.fetch();
		markRead();
		await delivered;
		await route.fulfill({ response });
	});
	await anna.page.getByRole('button', { name: 'Ik kom' }).click();
	await read;
	await bo.page.getByRole('button', { name: 'Ik kom' }).click();
	await expect(bo.page.getByTestId('my-status')).toContainText('op de wachtlijst als nummer 1.');
	await expect(anna.page.getByTestId('board-count')).toContainText('1 op de wachtlijst');
	deliver();
	// Her own answer shows (the reminder comes with it), and Bo is still on the waitlist she sees.
	await expect(anna.page.getByRole('button', { name: 'Herinner me de dag ervoor' })).toBeVisible();
	await expect(anna.page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	await expect(anna.page.getByTestId('waitlist')).toContainText('Bo');
	await Promise.all([anna.context.close(), bo.context.close()]);
});

test('a host cuts the places: the open boards show it at once, and the person moved to the waitlist is told', async ({ browser }) => {
	const gathering = await smallGathering(2);
	const activity = (await sql<{ activity_id: string }>('select activity_id from gathering where id = $1', [gathering]))[0]!.activity_id;
	const anna = await member(browser, 'Anna');
	const bo = await member(browser, 'Bo');
	for (const person of [anna, bo]) {
		await person.page.goto(`/g/${gathering}`);
		await clickAndWaitForAnswer(person.page, person.page.getByRole('button', { name: 'Ik kom' }));
		await expect(person.page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	}
	const visitor = await browser.newContext();
	const visitorPage = await visitor.newPage();
	await visitorPage.goto(`/g/${gathering}`);
	await expect(visitorPage.getByTestId('board-count')).toContainText('2 van de 2 plaatsen zijn bezet');
	// Nothing may reload the pages: a reload would also show the new state.
	const loads = { anna: 0, bo: 0, visitor: 0 };
	anna.page.on('load', () => loads.anna++);
	bo.page.on('load', () => loads.bo++);
	visitorPage.on('load', () => loads.visitor++);

	// However the capacity changes (here straight in the database), every open board hears it.
	await sql('update activity set capacity = 1 where id = $1', [activity]);
	await expect(visitorPage.getByTestId('board-count')).toContainText('1 van de 1 plaatsen is bezet');
	await expect(visitorPage.getByTestId('board-count')).toContainText('1 op de wachtlijst');
	await expect(bo.page.getByTestId('my-status')).toContainText('op de wachtlijst als nummer 1.');
	await expect(bo.page.getByText('Er zijn minder plaatsen dan eerst')).toBeVisible();
	await expect(anna.page.getByTestId('waitlist')).toContainText('Bo');
	expect(loads).toEqual({ anna: 0, bo: 0, visitor: 0 });
	await Promise.all([anna.context.close(), bo.context.close(), visitor.close()]);
});

test('a date moved while its board is open shows its new day and time at once', async ({ browser }) => {
	const gathering = await smallGathering(4);
	const visitor = await browser.newContext();
	const page = await visitor.newPage();
	await page.goto(`/g/${gathering}`);
	const heading = page.getByRole('heading', { level: 1 });
	// As the server wrote it (the page builds no date formatter while it starts).
	const startsAt = (await sql<{ starts_at: Date }>('select starts_at from gathering where id = $1', [gathering]))[0]!.starts_at;
	const time = (at: Date) => new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' }).format(at);
	await expect(heading).toContainText(time(startsAt));
	let loads = 0;
	page.on('load', () => loads++);
	// A day and an hour later, straight in the database: the page works the new ones out itself.
	const later = new Date(startsAt.getTime() + 25 * 3600_000);
	await sql(`update gathering set starts_at = starts_at + interval '25 hours', ends_at = ends_at + interval '25 hours', sequence = sequence + 1 where id = $1`, [gathering]);
	await expect(heading).toContainText(time(later));
	await expect(heading).toContainText(new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', weekday: 'long', day: 'numeric', month: 'long' }).format(later), { ignoreCase: true });
	expect(loads).toBe(0);
	await visitor.close();
});

test('every board action works without JavaScript', async ({ browser }) => {
	const gathering = await smallGathering(8);
	const { context, page } = await member(browser, 'Cas', { javaScriptEnabled: false });
	await page.goto(`/g/${gathering}`);
	await page.getByLabel('Hoeveel mensen neem je mee?').selectOption('2');
	await page.getByRole('button', { name: 'Ik kom' }).click();
	await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	await expect(page.getByTestId('board-count')).toContainText('3 van de 8 plaatsen zijn bezet');
	await expect(page.getByTestId('going-list')).toContainText('Cas +2');
	// Post/redirect/get: the address is the board's own, and a reload shows it again without posting twice.
	await expect(page).toHaveURL(new RegExp(`/g/${gathering}$`));
	await page.reload();
	await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	await expect(page.getByTestId('board-count')).toContainText('3 van de 8 plaatsen zijn bezet');

	const dessert = page.getByTestId('slot').filter({ hasText: 'Toetje' });
	await dessert.getByRole('combobox').selectOption('2');
	await dessert.getByRole('button', { name: 'Neem ik mee' }).click();
	await expect(page.getByTestId('slot').filter({ hasText: 'Toetje' })).toContainText('nog 1 van 3');
	await expect(page.getByTestId('slot').filter({ hasText: 'Toetje' })).toContainText('Cas (2)');

	// "I can't come" from someone bringing dessert is asked once more, and nothing changes yet.
	await page.getByRole('button', { name: 'Ik kan niet' }).click();
	await expect(page.getByRole('alert')).toContainText('Je zei dat je dit meeneemt of doet: Toetje.');
	await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	await page.getByRole('link', { name: 'Nee, ik kom wel' }).click();
	await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	await expect(page.getByTestId('slot').filter({ hasText: 'Toetje' })).toContainText('Cas (2)');
	await page.getByRole('button', { name: 'Ik kan niet' }).click();
	await page.getByRole('button', { name: 'Ja, ik kom niet' }).click();
	await expect(page.getByTestId('my-status')).toHaveText('Je komt deze keer niet.');
	await expect(page.getByTestId('slot').filter({ hasText: 'Toetje' })).toContainText('nog 3 van 3');
	await context.close();
});

test('a role is for someone who is coming: the waitlist is told why it cannot take one', async ({ browser }) => {
	const gathering = await smallGathering(1);
	// A shared dinner's board has its roles from the start (Koken, Tafels klaarzetten, Afwassen).
	const anna = await member(browser, 'Anna');
	const bo = await member(browser, 'Bo', { javaScriptEnabled: false });
	await anna.page.goto(`/g/${gathering}`);
	await clickAndWaitForAnswer(anna.page, anna.page.getByRole('button', { name: 'Ik kom' }));
	await bo.page.goto(`/g/${gathering}`);
	await bo.page.getByRole('button', { name: 'Ik kom' }).click();
	await expect(bo.page.getByTestId('my-status')).toContainText('op de wachtlijst als nummer 1.');
	const washing = (page: typeof bo.page) => page.getByTestId('slot').filter({ hasText: 'Afwassen' });
	await expect(washing(bo.page)).toContainText('Voor wie zeker komt');
	await expect(washing(bo.page).getByRole('button')).toHaveCount(0);
	await washing(anna.page).getByRole('combobox').selectOption('1');
	await washing(anna.page).getByRole('button', { name: 'Doe ik' }).click();
	await expect(washing(anna.page)).toContainText('Anna');
	await Promise.all([anna.context.close(), bo.context.close()]);
});

test('a host prints the door list, ticks who came, and reads the feedback', async ({ browser }) => {
	const gathering = await smallGathering(10);
	const name = `Dora ${Math.random().toString(36).slice(2, 6).replace(/[0-9]/g, 'x')}`;
	const { context, page } = await member(browser, name);
	await makeCoordinator(name);
	await page.goto(`/g/${gathering}`);
	await clickAndWaitForAnswer(page, page.getByRole('button', { name: 'Ik kom' }));
	await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');

	// The host panel links to the door list (followed directly once the sign-up is saved: the
	// live refresh from it may still be under way).
	await expect(page.getByRole('link', { name: 'Lijst voor de deur' })).toHaveAttribute('href', `/g/${gathering}/door-list`);
	await page.goto(`/g/${gathering}/door-list`);
	await expect(page.getByRole('table')).toContainText(name);
	await page.getByRole('button', { name: `${name} is gekomen` }).click();
	await expect(page.getByRole('button', { name: `${name} is gekomen` })).toHaveAttribute('aria-pressed', 'true');

	// The gathering has begun: the one question appears.
	await sql(`update gathering set starts_at = now() - interval '1 hour', ends_at = now() + interval '1 hour' where id = $1`, [gathering]);
	await page.goto(`/g/${gathering}`);
	await page.getByRole('radio', { name: /Heel fijn/ }).check();
	await page.getByLabel('Wil je nog iets zeggen? (mag leeg)').fill('Lekkere soep');
	await page.getByRole('button', { name: 'Stuur' }).click();
	await expect(page.getByText('Dank je wel!')).toBeVisible();
	await expect(page.getByText('Heel fijn: 1 · Gewoon goed: 0 · Niet zo fijn: 0')).toBeVisible();
	await expect(page.getByText('Lekkere soep')).toBeVisible();

	// Thank a helper on the door list; the helper keeps it in their log.
	const dessert = page.getByTestId('slot').filter({ hasText: 'Toetje' });
	await expect(dessert).toBeVisible();
	await page.goto(`/g/${gathering}/door-list`);
	await expect(page.getByRole('heading', { name: 'Helpers bedanken' })).toHaveCount(0);
	await context.close();
});

test('on a slow phone, a rating chosen before the page has started is kept and sent', async ({ browser }) => {
	const gathering = await smallGathering(10);
	const { context, page } = await member(browser, 'Fien');
	await page.goto(`/g/${gathering}`);
	await clickAndWaitForAnswer(page, page.getByRole('button', { name: 'Ik kom' }));
	await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	await sql(`update gathering set starts_at = now() - interval '1 hour', ends_at = now() + interval '1 hour' where id = $1`, [gathering]);

	// The page's scripts arrive only after the choice: starting must not undo it.
	const releaseScripts = await holdPageScripts(page);
	await page.goto(`/g/${gathering}`, { waitUntil: 'domcontentloaded' });
	await page.getByRole('radio', { name: /Gewoon goed/ }).check();
	releaseScripts();
	await page.waitForLoadState('networkidle');
	await expect(page.getByRole('radio', { name: /Gewoon goed/ })).toBeChecked();
	await page.getByRole('button', { name: 'Stuur' }).click();
	await expect(page.getByText('Dank je wel!')).toBeVisible();
	expect(await sql(`select rating from gathering_feedback where gathering_id = $1`, [gathering])).toEqual([{ rating: 2 }]);
	await context.close();
});

test('a board that was offline catches up with the current state when it comes back, whether or not its socket stayed open', async ({ browser }) => {
	const gathering = await smallGathering(5);
	const watcher = await member(browser, 'Wil');
	const actor = await member(browser, 'Ada');
	await watcher.page.goto(`/g/${gathering}`);
	// On the board, so the watcher may see who else comes.
	await clickAndWaitForAnswer(watcher.page, watcher.page.getByRole('button', { name: 'Ik kom' }));
	await expect(watcher.page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	// Opened afresh and settled, so no reload of its own is under way when the network goes.
	await watcher.page.goto(`/g/${gathering}`, { waitUntil: 'networkidle' });
	await expect(watcher.page.getByTestId('board-count')).toContainText('1 van de 5');

	// Chromium's offline emulation may or may not drop the open socket: a change may still
	// arrive while the page cannot load anything, and must not cost it the board.
	await watcher.context.setOffline(true);
	await actor.page.goto(`/g/${gathering}`);
	await actor.page.getByRole('button', { name: 'Ik kom' }).click();
	await expect(actor.page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');

	await watcher.context.setOffline(false);
	await expect(watcher.page.getByTestId('board-count')).toContainText('2 van de 5', { timeout: 15_000 });
	// Names come only with the page's own load: it ran again once the page was back online.
	await expect(watcher.page.getByTestId('going-list')).toContainText('Ada', { timeout: 15_000 });
	await Promise.all([watcher.context.close(), actor.context.close()]);
});

test('a regular says "I come every time" once and is on the next dates', async ({ browser }) => {
	const { context, page } = await member(browser, 'Reggie');
	const activity = (await sql<{ id: string }>(`select id from activity where title = 'Koffieochtend'`))[0]!.id;
	await page.goto(`/a/${activity}`);
	await page.getByRole('button', { name: 'Ik kom elke keer' }).click();
	await expect(page.getByText('Je komt elke keer.')).toBeVisible();
	await page.getByRole('listitem').filter({ hasText: 'Koffieochtend' }).first().getByRole('link').click();
	await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	await context.close();
});

test('"I come every time" reaches the open boards of the next dates at once', async ({ browser }) => {
	const gathering = await smallGathering(5);
	const activity = (await sql<{ activity_id: string }>('select activity_id from gathering where id = $1', [gathering]))[0]!.activity_id;
	const watcher = await member(browser, 'Wim');
	await watcher.page.goto(`/g/${gathering}`);
	await expect(watcher.page.getByTestId('board-count')).toContainText('0 van de 5 plaatsen zijn bezet');
	const regular = await member(browser, 'Reggie');
	await regular.page.goto(`/a/${activity}`);
	await regular.page.getByRole('button', { name: 'Ik kom elke keer' }).click();
	await expect(regular.page.getByText('Je komt elke keer.')).toBeVisible();
	await expect(watcher.page.getByTestId('board-count')).toContainText('1 van de 5 plaatsen is bezet');
	await Promise.all([watcher.context.close(), regular.context.close()]);
});

test('practical help is matched privately and arrives live; it works without JavaScript too', async ({ browser }) => {
	const gathering = await smallGathering(10);
	const nadia = await member(browser, 'Nadia');
	const hans = await member(browser, 'Hans', { javaScriptEnabled: false });
	const karel = await member(browser, 'Karel');
	for (const person of [nadia, hans, karel]) {
		await person.page.goto(`/g/${gathering}`);
		await person.page.getByRole('button', { name: 'Ik kom' }).click();
		await expect(person.page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
	}

	// Nadia asks for a ride for two, with a note for whoever drives.
	await nadia.page.getByText('Hulp nodig om te komen?').click();
	const ask = nadia.page.getByTestId('board-help').locator('form').filter({ hasText: 'Vraag om hulp' });
	await ask.getByLabel('Ik wil graag meerijden').check();
	await ask.getByLabel('Voor hoeveel personen of kinderen?').selectOption('2');
	await ask.getByLabel('Wat moet je helper weten?').fill('Ik woon bij het station');
	await ask.getByRole('button', { name: 'Vraag om hulp' }).click();
	await expect(nadia.page.getByTestId('my-help-request')).toContainText('We zoeken nog iemand');
	// Karel is asked whether he can help; Nadia is not asked about her own request.
	await expect(karel.page.getByTestId('board-help')).toContainText('Iemand zoekt nog hulp. Kun jij helpen?');
	await expect(nadia.page.getByTestId('board-help')).not.toContainText('Iemand zoekt nog hulp');

	// Hans, without JavaScript, offers three seats.
	await hans.page.goto(`/g/${gathering}`);
	await hans.page.getByText('Kun jij iemand helpen?').click();
	const offer = hans.page.getByTestId('board-help').locator('form').filter({ hasText: 'Bied hulp aan' });
	await offer.getByLabel('Ik heb plaats in mijn auto').check();
	await offer.getByLabel('Hoeveel personen of kinderen kun je helpen?').selectOption('3');
	await offer.getByRole('button', { name: 'Bied hulp aan' }).click();
	await expect(hans.page.getByTestId('i-help')).toContainText('Jij helpt Nadia: Meerijden');
	await expect(hans.page.getByTestId('i-help')).toContainText('Ik woon bij het station');

	// Nadia sees her helper arrive without reloading; Karel sees only that help is arranged.
	await expect(nadia.page.getByTestId('my-help-request')).toContainText('Hans helpt je.');
	await expect(karel.page.getByTestId('help-counts')).toContainText('Meerijden: geregeld voor 1 van 1');
	await expect(karel.page.getByTestId('board-help')).not.toContainText('Nadia');
	await expect(karel.page.getByTestId('board-help')).not.toContainText('Hans');
	await Promise.all([nadia.context.close(), hans.context.close(), karel.context.close()]);
});

test('"remind me the day before" works as a plain form and offers notifications to people without e-mail', async ({ browser }, info) => {
	const gathering = await smallGathering(10);
	for (const javaScriptEnabled of [false, true]) {
		const { context, page } = await member(browser, `Rien ${javaScriptEnabled ? 'Js' : 'Zonder'}`, { javaScriptEnabled });
		await page.goto(`/g/${gathering}`);
		await expect(page.getByTestId('reminder')).toHaveCount(0);
		await page.getByRole('button', { name: 'Ik kom' }).click();
		await expect(page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
		await page.getByRole('button', { name: 'Herinner me de dag ervoor' }).click();
		// Without e-mail or a device it promises nothing it cannot deliver, and says what is missing.
		await expect(page.getByTestId('reminder')).toContainText('Je herinnering staat klaar, maar we kunnen je nog niet bereiken.');
		await expect(page.getByTestId('reminder')).not.toContainText('Je krijgt de dag ervoor een herinnering');
		await expect(page.getByTestId('reminder')).toContainText('Je hebt geen e-mailadres opgegeven');
		await expect(page.getByRole('button', { name: 'Meldingen aanzetten' })).toHaveCount(javaScriptEnabled ? 1 : 0);
		if (javaScriptEnabled) await page.getByTestId('reminder').screenshot({ path: info.outputPath('reminder.png') });
		await page.getByRole('button', { name: 'Geen herinnering' }).click();
		await expect(page.getByRole('button', { name: 'Herinner me de dag ervoor' })).toBeVisible();
		const rows = await sql(`select 1 from gathering_reminder where gathering_id = $1`, [gathering]);
		expect(rows).toHaveLength(0);
		await context.close();
	}
});
