import { clickAndWaitForAnswer, expect, joinAsNewcomer, smallGathering, sql, test } from './fixtures.ts';

/** Someone without a phone on the board: put there by a neighbour, seen by all on it, at the door, and taken off. */

const makeHost = (gathering: string, name: string) =>
	sql(
		`insert into activity_host (activity_id, member_id)
		 select g.activity_id, m.id from gathering g, member m where g.id = $1 and m.display_name = $2`,
		[gathering, name]
	);

test('a neighbour brings someone without a phone: counted, shown live with who brought them, on the door list, and taken off by a host', async ({ browser }) => {
	const gathering = await smallGathering(3);
	const hostName = `Hetty ${Math.random().toString(36).slice(2, 6).replace(/[0-9]/g, 'x')}`;
	const fatima = await joinAsNewcomer(browser, 'Fatima', { phone: true });
	const host = await joinAsNewcomer(browser, hostName, { phone: true });
	await makeHost(gathering, hostName);
	await fatima.page.goto(`/g/${gathering}`);
	await host.page.goto(`/g/${gathering}`);

	// Only someone who comes can bring someone along.
	await expect(fatima.page.getByText('Neem je iemand mee zonder telefoon?')).toHaveCount(0);
	await clickAndWaitForAnswer(fatima.page, fatima.page.getByRole('button', { name: 'Ik kom' }));
	await fatima.page.getByText('Neem je iemand mee zonder telefoon?').click();
	await fatima.page.getByLabel('Voornaam').fill('Els');
	await fatima.page.getByRole('button', { name: 'Zet op de lijst' }).click();
	await expect(fatima.page.getByRole('status').filter({ hasText: 'Els staat op de lijst.' })).toBeVisible();
	await expect(fatima.page.getByTestId('board-count')).toContainText('2 van de 3 plaatsen zijn bezet');
	await expect(fatima.page.getByTestId('brought')).toContainText('Els · komt met Fatima');
	// Her guests cannot be counted below the one she brought by name.
	await expect(fatima.page.getByLabel('Hoeveel mensen neem je mee?').locator('option')).toHaveText(['1', '2']);

	// The host's open board shows her at once, and the door list lists her to tick off.
	await expect(host.page.getByTestId('brought')).toContainText('Els · komt met Fatima');
	await expect(host.page.getByTestId('board-count')).toContainText('2 van de 3 plaatsen zijn bezet');
	await host.page.goto(`/g/${gathering}/door-list`);
	await expect(host.page.getByTestId('door-brought')).toContainText('Els');
	await host.page.getByRole('button', { name: 'Els is gekomen' }).click();
	await expect(host.page.getByRole('button', { name: 'Els is gekomen' })).toHaveAttribute('aria-pressed', 'true');

	// The host takes her off (asked once more); Fatima's open board follows, and she is told.
	await host.page.goto(`/g/${gathering}`);
	await host.page.getByText('Haal van de lijst').click();
	await host.page.getByRole('button', { name: 'Ja, haal Els van de lijst' }).click();
	await expect(host.page.getByTestId('brought')).toHaveCount(0);
	await expect(fatima.page.getByTestId('brought')).toHaveCount(0);
	await expect(fatima.page.getByTestId('board-count')).toContainText('1 van de 3 plaatsen is bezet');
	const notices = await sql(`select n.kind from notice n join member m on m.id = n.member_id where n.gathering_id = $1 and m.display_name = 'Fatima'`, [gathering]);
	expect(notices.map((n) => n.kind)).toEqual(['brought_removed']);
	await Promise.all([fatima.context.close(), host.context.close()]);
});

test('bringing someone along works without JavaScript, is refused plainly on a full board, and "I can\'t come" says who comes off too', async ({ browser }) => {
	const gathering = await smallGathering(2);
	const { context, page } = await joinAsNewcomer(browser, 'Kees', { phone: true, javaScriptEnabled: false });
	await page.goto(`/g/${gathering}`);
	await page.getByRole('button', { name: 'Ik kom' }).click();
	await page.getByText('Neem je iemand mee zonder telefoon?').click();
	// No name: said beside the field, nothing changes.
	await page.getByRole('button', { name: 'Zet op de lijst' }).click();
	await expect(page.locator('#bring-name-error')).toHaveText('Vul een voornaam in.');
	await page.getByLabel('Voornaam').fill('Oma Wil');
	await page.getByRole('button', { name: 'Zet op de lijst' }).click();
	await expect(page).toHaveURL(new RegExp(`/g/${gathering}$`));
	await expect(page.getByText('Oma Wil staat op de lijst.')).toBeVisible();
	await expect(page.getByTestId('brought')).toContainText('Oma Wil · komt met Kees');
	await expect(page.getByTestId('board-count')).toContainText('2 van de 2 plaatsen zijn bezet');

	// Full now: one more is refused, and the name typed is kept.
	await page.getByText('Neem je iemand mee zonder telefoon?').click();
	await page.getByLabel('Voornaam').fill('Henk');
	await page.getByRole('button', { name: 'Zet op de lijst' }).click();
	await expect(page.getByRole('alert')).toContainText('Er is geen plek meer voor nog iemand.');
	await expect(page.getByLabel('Voornaam')).toHaveValue('Henk');

	// "I can't come" is asked once more, naming who comes off the list too.
	await page.getByRole('button', { name: 'Ik kan niet' }).click();
	await expect(page.getByRole('alert')).toContainText('Oma Wil staat dan ook niet meer op de lijst.');
	await page.getByRole('button', { name: 'Ja, ik kom niet' }).click();
	await expect(page.getByTestId('my-status')).toHaveText('Je komt deze keer niet.');
	await expect(page.getByTestId('brought')).toHaveCount(0);
	await expect(page.getByTestId('board-count')).toContainText('0 van de 2 plaatsen zijn bezet');
	await context.close();
});
