import { describe, expect, it } from 'vitest';
import { helpFormSchema } from '../help/schemas.ts';

describe('helpFormSchema', () => {
	it('reads a request for a ride for two, with a trimmed note', () => {
		expect(helpFormSchema.parse({ side: 'ask', kind: 'ride', amount: '2', note: '  bij het station ' })).toEqual({
			side: 'ask',
			kind: 'ride',
			amount: 2,
			note: 'bij het station'
		});
	});
	it('lets an offer give more places than a request may ask for', () => {
		expect(helpFormSchema.safeParse({ side: 'offer', kind: 'ride', amount: '8' }).success).toBe(true);
		expect(helpFormSchema.safeParse({ side: 'ask', kind: 'ride', amount: '7' }).error?.issues[0]?.message).toBe('error_quantity');
	});
	it.each([
		[{ side: 'ask', kind: 'taxi', amount: '1' }, 'error_general_form'],
		[{ side: 'steal', kind: 'door', amount: '1' }, 'error_general_form'],
		[{ side: 'ask', kind: 'door', amount: '-1' }, 'error_quantity'],
		[{ side: 'ask', kind: 'door', amount: '1.5' }, 'error_quantity'],
		[{ side: 'ask', kind: 'door', amount: 'many' }, 'error_quantity'],
		[{ side: 'ask', kind: 'door', amount: '1', note: 'x'.repeat(201) }, 'error_text_too_long']
	])('refuses %j with %s', (input, message) => {
		expect(helpFormSchema.safeParse(input).error?.issues[0]?.message).toBe(message);
	});
});
