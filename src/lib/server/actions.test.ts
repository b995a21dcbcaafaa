import { describe, expect, it } from 'vitest';
import { withIdParam } from './actions.ts';

describe('withIdParam', () => {
	const actions = withIdParam({ go: ({ params }: { params: { id?: string } }) => ({ reached: params.id }) });

	it('lets an action run for a UUID', () => {
		const id = '6df4861b-408f-4184-b126-de97b15b1084';
		expect(actions.go({ params: { id } })).toEqual({ reached: id });
	});

	it('answers 404 with a message key for anything else, before the action runs', () => {
		for (const id of ['not-a-uuid', '', "' or 1=1 --", '6df4861b-408f-4184-b126-de97b15b1084x', undefined]) {
			expect(actions.go({ params: { id } }), String(id)).toMatchObject({ status: 404, data: { action: 'go', errors: { form: 'error_not_found' } } });
		}
	});
});
