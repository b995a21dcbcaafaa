import { fail, type ActionFailure, type Cookies } from '@sveltejs/kit';
import { parseForm, type FieldErrors } from '../forms/forms.ts';
import { joinFormSchema } from './schemas.ts';
import { hasMemberProfile, JoinRefused, joinWhereYouAre } from './joining.server.ts';
import { getLocale } from '../paraglide/runtime.js';
import { memberDataClient, type DataClient } from '../server/db/client.ts';
import { setLanguageCookie } from '../server/language.ts';
import { formError } from '../forms/form-errors.ts';

/**
 * The reasons as message keys, like every form's, and `said`: the same already translated, as the
 * form loads for every visitor of a board without every form's messages.
 */
type JoinFailure = { action: 'join'; errors: FieldErrors; said: Record<string, string>; values: Record<string, string> };

function failure(status: number, errors: FieldErrors, values: Record<string, string>) {
	const said = Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, formError(key) ?? '']));
	return fail(status, { action: 'join' as const, errors, said, values });
}

/**
 * The join form of a public page (gathering, activity, ideas): a first name and a language, then
 * the person is a member of that page's neighbourhood and stays on the page. Answers the action's
 * failure (kept values, translated message) or the new member's data client, so the page can go
 * on with what they tapped ("Ik kom") as them.
 */
export async function joinHere(
	event: { request: Request; locals: App.Locals; cookies: Cookies; getClientAddress: () => string },
	form: FormData,
	neighbourhoodId: string
): Promise<{ ok: true; memberId: string; db: DataClient } | { ok: false; failure: ActionFailure<JoinFailure> }> {
	// Someone signed in already has a name and a language: one tap joins them.
	const hasProfile = await hasMemberProfile(event.locals.db, event.locals.memberId);
	const parsed = hasProfile ? ({ ok: true, data: { display_name: '', lang: getLocale() } } as const) : parseForm(joinFormSchema, form);
	if (!parsed.ok) return { ok: false, failure: failure(400, parsed.errors, parsed.values) };
	const values = { display_name: parsed.data.display_name, lang: parsed.data.lang } as Record<string, string>;
	try {
		const memberId = await joinWhereYouAre({
			neighbourhoodId,
			displayName: parsed.data.display_name,
			locale: parsed.data.lang,
			memberId: event.locals.memberId,
			clientAddress: event.getClientAddress(),
			headers: event.request.headers
		});
		if (!hasProfile) setLanguageCookie(event.cookies, parsed.data.lang);
		return { ok: true, memberId, db: await memberDataClient(memberId) };
	} catch (cause) {
		if (!(cause instanceof JoinRefused)) throw cause;
		const error = cause.reason === 'rate_limited' ? 'error_rate_limited' : 'error_join_closed';
		return { ok: false, failure: failure(cause.reason === 'rate_limited' ? 429 : 403, { form: error }, values) };
	}
}
