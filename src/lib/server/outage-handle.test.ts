import { describe, expect, it } from 'vitest';
import { flatten } from './action-answer.ts';

/** devalue's unflatten for plain data, as SvelteKit's client reads an action's answer. */
function unflatten(list: unknown[]): unknown {
	const at = (i: number): unknown => {
		const v = list[i];
		if (Array.isArray(v)) return v.map((j) => at(j as number));
		if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, j]) => [k, at(j as number)]));
		return v;
	};
	return at(0);
}

describe('flatten', () => {
	it('gives the flat form SvelteKit reads, for the data of a "try again" answer', () => {
		const data = { action: 'respond', errors: { form: 'error_try_again' }, values: { status: 'going', guests: '0' } };
		expect(flatten(data)[0]).toEqual({ action: 1, errors: 2, values: 4 });
		expect(unflatten(flatten(data))).toEqual(data);
		expect(unflatten(flatten([1, 'a', true, null]))).toEqual([1, 'a', true, null]);
	});
});
