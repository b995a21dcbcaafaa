import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { parseForm, type FieldErrors } from '$lib/forms/forms';
import { joinFormSchema } from '$lib/joining/schemas';
import { hasMemberProfile, JoinRefused, joinWithCode, targetOf, welcomeFor, welcomeForMember } from '$lib/joining/joining.server';
import { setLanguageCookie } from '$lib/server/language';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const welcome = await welcomeForMember(locals.db, params.code, locals.memberId);
	if (welcome.status === 'unknown') error(404, m.invite_unknown());
	if (welcome.status !== 'valid') error(410, m.invite_no_longer_valid());
	// Coming back on the same device needs no step at all.
	if (welcome.alreadyMember) redirect(303, targetOf(welcome));
	const hasProfile = await hasMemberProfile(locals.db, locals.memberId);
	return { welcome, hasProfile, lang: getLocale() };
};

export const actions: Actions = {
	default: async ({ request, locals, params, cookies, getClientAddress }) => {
		const form = await request.formData();
		const hasProfile = await hasMemberProfile(locals.db, locals.memberId);
		const parsed = hasProfile
			? ({ ok: true, data: { display_name: '', lang: getLocale() } } as const)
			: parseForm(joinFormSchema, form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });

		try {
			await joinWithCode({
				db: locals.db,
				rawCode: params.code,
				displayName: parsed.data.display_name,
				locale: parsed.data.lang,
				memberId: locals.memberId,
				clientAddress: getClientAddress(),
				headers: request.headers
			});
		} catch (cause) {
			if (cause instanceof JoinRefused) {
				if (cause.reason === 'rate_limited') {
					return fail(429, {
						errors: { form: 'error_rate_limited' } as FieldErrors,
						values: { display_name: parsed.data.display_name, lang: parsed.data.lang } as Record<string, string>
					});
				}
				error(410, m.invite_no_longer_valid());
			}
			throw cause;
		}
		if (!hasProfile) setLanguageCookie(cookies, parsed.data.lang);
		const welcome = await welcomeFor(locals.db, params.code, []);
		redirect(303, welcome.status === 'unknown' ? '/' : `${targetOf(welcome)}?welcome=1`);
	}
};
