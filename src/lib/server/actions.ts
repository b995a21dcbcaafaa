import { fail, isActionFailure, redirect, type Cookies } from '@sveltejs/kit';
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

/** Where a form's result waits for the page it redirects to (post/redirect/get without JavaScript). */
const RESULT_COOKIE = 'buurtbord_result';
// A cookie holds about 4 kB; results are small (what was done, a status). Bigger ones stay posts.
const MAX_RESULT = 1500;

/**
 * Post/redirect/get for forms posted without JavaScript: a successful action's result goes into
 * a short-lived cookie for this page only, and the browser is sent to the page's clean address
 * (without `?/action`), where the page shows the result as if posted (see `takePostResult`), so a
 * reload shows it again instead of sending the form twice. With JavaScript (SvelteKit's enhance)
 * and for failures (which keep what was typed, and change nothing) the answer stays as it is.
 * `keep`: actions whose result must not be stored (a secret shown once).
 */
export function withPostRedirectGet<A extends AnyActions>(actions: A, keep: string[] = []): A {
	return Object.fromEntries(
		Object.entries(actions).map(([name, action]) => [
			name,
			async (event: Parameters<typeof action>[0]) => {
				const result = await action(event);
				if (keep.includes(name) || result === undefined || isActionFailure(result) || event.request.headers.has('x-sveltekit-action')) return result;
				const json = JSON.stringify(result);
				if (json.length > MAX_RESULT) return result;
				const url = new URL(event.url);
				for (const key of [...url.searchParams.keys()]) if (key.startsWith('/')) url.searchParams.delete(key);
				event.cookies.set(RESULT_COOKIE, json, {
					path: url.pathname,
					httpOnly: true,
					sameSite: 'lax',
					secure: url.protocol === 'https:',
					maxAge: 60
				});
				redirect(303, url.pathname + url.search);
			}
		])
	) as A;
}

/** The result of a form posted without JavaScript to this page, once (see `withPostRedirectGet`). */
export function takePostResult(cookies: Cookies, pathname: string): Record<string, unknown> | null {
	const raw = cookies.get(RESULT_COOKIE);
	if (raw === undefined) return null;
	cookies.delete(RESULT_COOKIE, { path: pathname });
	try {
		const value: unknown = JSON.parse(raw);
		return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}
