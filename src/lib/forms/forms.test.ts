import { describe, expect, it } from 'vitest';
import { parseForm } from './forms.ts';
import { emailFormSchema } from '../account/schemas.ts';
import { cancelFormSchema, moveFormSchema } from '../activities/schemas.ts';
import { inviteFormSchema, joinFormSchema } from '../joining/schemas.ts';

const form = (entries: Record<string, string>) => {
	const data = new FormData();
	for (const [k, v] of Object.entries(entries)) data.set(k, v);
	return data;
};

describe('join form', () => {
	it('accepts a first name in any script, tidied', () => {
		expect(parseForm(joinFormSchema, form({ display_name: '  Ayşe   Nur ', lang: 'nl' }))).toEqual({
			ok: true,
			data: { display_name: 'Ayşe Nur', lang: 'nl' }
		});
		expect(parseForm(joinFormSchema, form({ display_name: 'محمد', lang: 'en' })).ok).toBe(true);
		expect(parseForm(joinFormSchema, form({ display_name: "D'Angelo-Smit", lang: 'en' })).ok).toBe(true);
	});

	it.each([
		[{ display_name: '   ', lang: 'nl' }, { display_name: 'error_name_required' }],
		[{ lang: 'nl' }, { display_name: 'error_name_required' }],
		[{ display_name: 'x'.repeat(41), lang: 'nl' }, { display_name: 'error_name_too_long' }],
		[{ display_name: '<script>', lang: 'nl' }, { display_name: 'error_name_characters' }],
		[{ display_name: 'Ayla', lang: 'fr' }, { lang: 'error_language' }]
	])('refuses %j with a message key', (values, errors) => {
		const result = parseForm(joinFormSchema, form(values as Record<string, string>));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors).toEqual(errors);
	});

	it('keeps what was typed, so nothing is lost', () => {
		const result = parseForm(joinFormSchema, form({ display_name: '<b>', lang: 'nl' }));
		expect(result.ok === false && result.values.display_name).toBe('<b>');
	});
});

describe('other forms', () => {
	it('e-mail is trimmed and lower-cased, or refused', () => {
		expect(emailFormSchema.parse({ email: ' Ayla@Example.ORG ' })).toEqual({ email: 'ayla@example.org' });
		expect(emailFormSchema.safeParse({ email: 'not an address' }).success).toBe(false);
	});

	it('invite target is a neighbourhood, optionally with an activity', () => {
		const n = '00000000-0000-4000-8000-000000000001';
		const a = '00000000-0000-4000-8000-0000000000b1';
		expect(inviteFormSchema.parse({ target: n, label: '', valid_days: '' })).toEqual({
			target: { neighbourhoodId: n, activityId: null },
			label: '',
			valid_days: null
		});
		expect(inviteFormSchema.parse({ target: `${n}|${a}`, label: 'Poster', valid_days: '30' }).target.activityId).toBe(a);
		expect(inviteFormSchema.safeParse({ target: 'x', valid_days: '' }).success).toBe(false);
		expect(inviteFormSchema.safeParse({ target: n, valid_days: '1000' }).success).toBe(false);
	});
});

describe('characters PostgreSQL cannot store', () => {
	// (Lone surrogates never reach a FormData: it turns them into U+FFFD.)
	it('refuses NUL with its own message, whatever the schema says', () => {
		for (const reason of ['a\u0000b', '\u0000']) {
			expect(parseForm(cancelFormSchema, form({ reason }))).toMatchObject({ ok: false, errors: { reason: 'error_text_characters' } });
		}
		expect(parseForm(cancelFormSchema, form({ reason: 'Regen 🌧️, sorry' })).ok).toBe(true);
	});

	it('ignores fields the form does not know, whatever they hold, so every refusal names a field the form shows', () => {
		// Found by the hostile-input property test: a no-JS post with `action=a\u0000b` was refused
		// under a field named `action`, which no form shows.
		const fields = { date: '2030-03-12', start_time: '02:30', end_time: '18:00', place_name: 'Soep', place_address: 'Soep' };
		expect(parseForm(moveFormSchema, form({ ...fields, action: 'a\u0000b' })).ok).toBe(true);
		const refused = parseForm(moveFormSchema, form({ ...fields, end_time: '01:00', __proto__x: '\u0000' }));
		expect(refused).toMatchObject({ ok: false, errors: { end_time: 'error_end_before_start' } });
		if (!refused.ok) expect(Object.keys(refused.errors)).toEqual(['end_time']);
		// A refinement of the whole form, and schemas wrapped in a transform, still know their fields.
		expect(parseForm(joinFormSchema.transform((v) => v), form({ display_name: 'Ann', lang: 'nl', x: '\u0000' })).ok).toBe(true);
	});

	it('never cuts a long text in the middle of a character', () => {
		const result = parseForm(cancelFormSchema, form({ reason: 'a' + '😀'.repeat(3000) }));
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors.reason).toBe('error_text_too_long');
			expect(result.values.reason!.isWellFormed()).toBe(true);
		}
	});
});

describe('moving a gathering', () => {
	const move = (date: string) => moveFormSchema.safeParse({ date, start_time: '18:00', end_time: '20:00' });
	it('takes only dates that exist, in plausible years', () => {
		expect(move('2028-02-29').success).toBe(true);
		for (const date of ['2026-02-30', '2027-02-29', '2026-13-01', '0000-01-01', '9999-12-31']) expect(move(date).success, date).toBe(false);
	});
});
