import { describe, expect, it } from 'vitest';
import { unflatten } from 'devalue';
import { flatten } from './action-answer.ts';

describe('flatten', () => {
	it('gives the flat form SvelteKit reads, for the data of a "try again" answer', () => {
		const data = { action: 'respond', errors: { form: 'error_try_again' }, values: { status: 'going', guests: '0' } };
		expect(flatten(data)[0]).toEqual({ action: 1, errors: 2, values: 4 });
		expect(unflatten(flatten(data))).toEqual(data);
		expect(unflatten(flatten([1, 'a', true, null]))).toEqual([1, 'a', true, null]);
	});
});
