import { fail } from '@sveltejs/kit';
import { uuidFormValue, type FieldErrors } from '../forms/forms.ts';

// `any`: each route has its own Actions type, whatever its params.
type AnyActions = Record<string, (event: any) => unknown>;

/**
 * Form actions of a page whose path names a record by id (`/g/[id]`, `/needs/[id]`, …): an id
 * that is no UUID names nothing, so every action answers 404 before it reaches the Data API
 * (which would fail on the cast with a 500). Use as `withIdParam<Actions>({ … })`.
 */
export function withIdParam<A extends AnyActions>(actions: A): A {
	return Object.fromEntries(
		Object.entries(actions).map(([name, action]) => [
			name,
			(event: Parameters<typeof action>[0]) =>
				uuidFormValue.safeParse(event.params.id).success
					? action(event)
					: fail(404, { action: name, errors: { form: 'error_not_found' } as FieldErrors })
		])
	) as A;
}
