import { describe, expect, it } from 'vitest';
import { fail } from '@sveltejs/kit';
import { takePostResult, withIdParam, withPostRedirectGet } from './actions.ts';

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

describe('withPostRedirectGet', () => {
	const jar = () => {
		const set = new Map<string, { value: string; path: string }>();
		return {
			set,
			cookies: {
				set: (name: string, value: string, options: { path: string }) => void set.set(name, { value, path: options.path }),
				get: (name: string) => set.get(name)?.value,
				delete: (name: string) => void set.delete(name)
			}
		};
	};
	const event = (headers: Record<string, string>, cookies: ReturnType<typeof jar>['cookies']) => ({
		request: new Request('http://localhost/g/1?/respond', { method: 'POST', headers }),
		url: new URL('http://localhost/g/1?/respond&x=1'),
		cookies
	});
	type Event = ReturnType<typeof event>;
	const actions = withPostRedirectGet(
		{
			done: (_: Event) => ({ action: 'done', status: 'going' }),
			refused: (_: Event) => fail(409, { action: 'refused', errors: { form: 'error_full' } }),
			secret: (_: Event) => ({ action: 'secret', token: 'abc' })
		},
		['secret']
	);

	it('sends a plain post to the clean address with its result waiting in a cookie for that page', async () => {
		const { set, cookies } = jar();
		const thrown = await Promise.resolve(actions.done(event({}, cookies))).catch((e: unknown) => e);
		expect(thrown).toMatchObject({ status: 303, location: '/g/1?x=1' });
		expect(set.get('buurtbord_result')).toEqual({ value: JSON.stringify({ action: 'done', status: 'going' }), path: '/g/1' });
		expect(takePostResult(cookies as never, '/g/1')).toEqual({ action: 'done', status: 'going' });
		// Once.
		expect(takePostResult(cookies as never, '/g/1')).toBeNull();
	});

	it('answers enhanced posts, failures and kept actions as they are', async () => {
		const { set, cookies } = jar();
		expect(await actions.done(event({ 'x-sveltekit-action': 'true' }, cookies))).toEqual({ action: 'done', status: 'going' });
		expect(await actions.refused(event({}, cookies))).toMatchObject({ status: 409 });
		expect(await actions.secret(event({}, cookies))).toEqual({ action: 'secret', token: 'abc' });
		expect(set.size).toBe(0);
	});

	it('reads nothing from a cookie that is not a result', () => {
		for (const raw of ['{', '[]', '"x"', '12', 'null']) {
			const { set, cookies } = jar();
			set.set('buurtbord_result', { value: raw, path: '/' });
			expect(takePostResult(cookies as never, '/'), raw).toBeNull();
		}
	});
});
