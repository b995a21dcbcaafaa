import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { boardRefusals, offerRefusals, refusalMessageKey, refusalOf, type RefusalRules } from './refusals';

describe('refusals', () => {
	it('name what SQL refuses with: its hint, or a standard code read by the rules that refused', () => {
		expect(refusalOf({ code: 'P0001', hint: 'slot_full' }, 'board')).toBe('slot_full');
		expect(refusalOf({ code: 'P0001', hint: 'closed' }, 'offer')).toBe('closed');
		// 42501: on a board only someone outside the neighbourhood (or not signed in) meets it.
		expect(refusalOf({ code: '42501' }, 'board')).toBe('not_member');
		expect(refusalOf({ code: '42501' }, 'offer')).toBe('not_allowed');
		expect(refusalOf({ code: '23514' }, 'offer')).toBe('too_low');
		for (const rules of ['board', 'offer'] as const) {
			expect(refusalOf({ code: 'P0002' }, rules)).toBe('not_found');
			expect(refusalOf({ code: '22P02' }, rules)).toBe('not_found');
		}
	});

	it('leave failures alone: they are not refusals', () => {
		expect(refusalOf({ code: '23514' }, 'board')).toBeNull();
		expect(refusalOf({ code: 'P0001' }, 'board')).toBeNull();
		expect(refusalOf({ code: '08006' }, 'offer')).toBeNull();
		expect(refusalOf({ code: 'PGRST301', hint: 'closed' }, 'board')).toBeNull();
		expect(refusalOf({}, 'offer')).toBeNull();
	});

	it('show one message each, a real one, and the general message for a name they do not know', () => {
		const messages = m as unknown as Record<string, unknown>;
		const shown = (rules: RefusalRules, names: readonly string[]) => names.map((name) => refusalMessageKey(name, rules));
		for (const key of [...shown('board', boardRefusals), ...shown('offer', offerRefusals)]) {
			expect(typeof messages[key], key).toBe('function');
		}
		expect(shown('board', boardRefusals)).toEqual([
			'error_board_closed', 'error_guests', 'error_bring_not_coming', 'error_bring_full', 'error_guests_brought', 'error_board_members_only', 'error_slot_full', 'error_role_needs_place', 'error_quantity',
			'error_help_not_on_board', 'error_text_too_long', 'error_general_form', 'error_not_found'
		]);
		expect(shown('offer', offerRefusals)).toEqual([
			'error_not_allowed', 'error_need_closed', 'error_quantity', 'error_need_full', 'error_already_pledged',
			'error_not_approved', 'error_wrong_step', 'error_offer_neighbourhoods', 'error_need_too_low', 'error_not_found'
		]);
		expect(refusalMessageKey('no_such_refusal', 'board')).toBe('error_general_form');
		expect(refusalMessageKey('toString', 'offer')).toBe('error_general_form');
	});
});
