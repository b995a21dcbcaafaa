import { describe, expect, it } from 'vitest';
import { activityDescription, kindLine } from './page-description.ts';

const activity = { title: 'Dinsdagdiner', kind: 'shared_dinner' as const, description: '', place_name: 'Buurthuis De Linde' };

describe('activityDescription', () => {
	it('says what and where, and what to do, when the host wrote nothing', () => {
		expect(activityDescription(activity)).toBe('Dinsdagdiner: Samen eten, Buurthuis De Linde. Kijk wie er komen en doe mee met alleen je voornaam.');
	});

	it('uses the host’s own words, on one line, cut at a word within 160 characters', () => {
		expect(activityDescription({ ...activity, description: 'We koken\nsamen.  Iedereen is welkom.' })).toBe('We koken samen. Iedereen is welkom.');
		const long = 'Elke dinsdag koken we met z’n allen een maaltijd, en daarna eten we samen aan lange tafels in de grote zaal van het buurthuis, met muziek erbij.';
		const cut = activityDescription({ ...activity, description: long + ' ' + long });
		expect(cut.length).toBeLessThanOrEqual(161);
		expect(cut.endsWith('…')).toBe(true);
		expect(long + ' ' + long).toContain(cut.slice(0, -1));
		expect(cut.slice(0, -1)).not.toMatch(/\s$/);
	});
});

describe('kindLine', () => {
	it('names the kind, and the title only when it says more', () => {
		expect(kindLine(activity, 'nl')).toBe('Samen eten · Dinsdagdiner');
		expect(kindLine({ title: ' koffieochtend ', kind: 'coffee_morning' }, 'nl')).toBe('Koffieochtend');
	});
});
