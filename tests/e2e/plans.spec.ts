import { expect, test, freshGathering, joinAsNewcomer } from './fixtures.ts';

/** A fresh date of its own with a small capacity, in the demo neighbourhood, two days ahead. */
const smallGathering = (capacity: number) => freshGathering(capacity, { daysAhead: 2, prefix: 'Plannendiner' });

for (const javaScriptEnabled of [true, false]) {
	test(`what am I going to: the agenda marks it and "My plans" lists it, on a phone ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async ({ browser }) => {
		const dinner = await smallGathering(2);
		const first = await joinAsNewcomer(browser, 'Fenna', { phone: true, javaScriptEnabled });
		// An invite to the neighbourhood ends on its agenda, with a welcome.
		await expect(first.page.getByTestId('welcome')).toContainText('Welkom, Fenna! Je doet nu mee. Kies iets uit de agenda');
		const second = await joinAsNewcomer(browser, 'Gijs', { phone: true, javaScriptEnabled });

		// Before anyone answers: places left, nothing marked.
		await first.page.goto('/n/de-linde');
		// The series may have a date of its own too: the card is the one that links to this date.
		const cardOn = (page: typeof first.page) => page.getByRole('listitem').filter({ has: page.locator(`a[href="/g/${dinner.id}"]`) });
		const card = cardOn(first.page);
		await expect(card).toContainText('Nog 2 plaatsen vrij');
		await expect(card.getByTestId('agenda-mine')).toHaveCount(0);

		await first.page.goto(`/g/${dinner.id}`);
		await first.page.getByLabel('Hoeveel mensen neem je mee?').selectOption('1');
		await first.page.getByRole('button', { name: 'Ik kom' }).click();
		await expect(first.page.getByTestId('my-status')).toHaveText('Je komt. Fijn!');
		await second.page.goto(`/g/${dinner.id}`);
		await second.page.getByRole('button', { name: 'Ik kom' }).click();
		await expect(second.page.getByTestId('my-status')).toContainText('wachtlijst als nummer 1');

		await first.page.goto('/n/de-linde');
		await expect(card).toContainText('Vol — wachtlijst');
		await expect(card.getByTestId('agenda-mine')).toHaveText('Je gaat');
		await second.page.goto('/n/de-linde');
		await expect(cardOn(second.page).getByTestId('agenda-mine')).toHaveText(
			'Je staat op de wachtlijst'
		);

		// The header leads to one's plans, with the answer, guests and place in line.
		await first.page.getByRole('link', { name: 'Mijn plannen' }).click();
		await expect(first.page.getByTestId('my-plans')).toBeVisible();
		await expect(cardOn(first.page)).toContainText('Je komt, met 1 gast');
		await second.page.getByRole('link', { name: 'Mijn plannen' }).click();
		await expect(cardOn(second.page)).toContainText(
			'Wachtlijst: je bent nummer 1'
		);
		await cardOn(first.page).getByRole('link', { name: dinner.title }).click();
		await expect(first.page).toHaveURL(new RegExp(`/g/${dinner.id}$`));
		await first.context.close();
		await second.context.close();
	});
}
