import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { respondFormSchema, slotFormSchema } from '$lib/boards/board';
import { helpFormSchema } from '$lib/help/schemas';
import { parseForm } from '$lib/forms/forms';
import { boardRefusals, refusalMessageKey } from '$lib/forms/refusals';
import { m } from '$lib/paraglide/messages';
import { boardFormError, boardFormErrors } from './board-errors';
import { formErrors } from '../forms/form-errors';

/** The board shows the errors its forms can come back with in words, not the general message. */
describe('board form errors', () => {
	it('covers every error key the board forms’ schemas produce', () => {
		const field = fc.oneof(fc.string({ maxLength: 250 }), fc.integer({ min: -50, max: 300 }).map(String), fc.constantFrom('', 'going', 'ask', 'offer', 'door', 'ride', '1.5', 'x', 'x'.repeat(201)));
		const seen = new Set<string>();
		fc.assert(
			fc.property(fc.constantFrom(respondFormSchema, slotFormSchema, helpFormSchema), fc.dictionary(fc.constantFrom('status', 'guests', 'slot', 'quantity', 'side', 'kind', 'amount', 'note'), field), (schema, input) => {
				const form = new FormData();
				for (const [k, v] of Object.entries(input)) form.set(k, v);
				const parsed = parseForm(schema, form);
				if (parsed.ok) return;
				for (const key of Object.values(parsed.errors)) {
					seen.add(key);
					expect(boardFormErrors, key).toHaveProperty(key);
				}
			}),
			{ numRuns: 2000 }
		);
		// The property reached the specific messages, not only the general one.
		expect([...seen]).toEqual(expect.arrayContaining(['error_guests', 'error_quantity', 'error_text_too_long', 'error_general_form']));
	});

	it('covers every refusal the gathering page’s actions answer with', () => {
		const actions = readFileSync('src/routes/g/[id]/+page.server.ts', 'utf8');
		// Its own answers, and the board's refusals in words (lib/forms/refusals.ts).
		const keys = [
			...new Set([...[...actions.matchAll(/'(error_[a-z_]+)'/g)].map((match) => match[1]!), ...boardRefusals.map((r) => refusalMessageKey(r, 'board'))])
		];
		expect(keys.length).toBeGreaterThan(5);
		for (const key of keys) expect(boardFormErrors, key).toHaveProperty(key);
		// and the answer every action gives during an outage (outage-handle.ts)
		const outage = readFileSync('src/lib/server/outage-handle.ts', 'utf8');
		for (const [, key] of outage.matchAll(/form: '(error_[a-z_]+)'/g)) expect(boardFormErrors, key).toHaveProperty(key!);
	});

	it('says the same as the full list, and the general message for anything else', () => {
		for (const key of Object.keys(boardFormErrors)) {
			expect(boardFormError(key)).toBe(formErrors[key]!());
			if (key !== 'error_general_form') expect(boardFormError(key)).not.toBe(m.error_general_form());
		}
		expect(boardFormError('error_no_such_thing')).toBe(m.error_general_form());
		expect(boardFormError(undefined)).toBeUndefined();
	});
});
