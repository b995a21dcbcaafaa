import { redirect, text } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { locales } from '$lib/paraglide/runtime';
import { localPathSchema } from '$lib/forms/schemas';
import { setLanguageCookie } from '$lib/server/language';
import { updateProfile } from '$lib/account/account.server';
import type { RequestHandler } from './$types';

const languageForm = z.object({
	lang: z.enum(locales),
	redirectTo: localPathSchema.catch('/')
});

/** The language switch: a plain form post, so it works without JavaScript. Sticks per device and per member. */
export const POST: RequestHandler = async ({ request, cookies, locals }) => {
	const parsed = languageForm.safeParse(Object.fromEntries(await request.formData()));
	if (!parsed.success) return text(m.language_invalid(), { status: 400 });
	setLanguageCookie(cookies, parsed.data.lang);
	if (locals.memberId) await updateProfile(locals.db, locals.memberId, { locale: parsed.data.lang }).catch(() => null);
	redirect(303, parsed.data.redirectTo);
};

export const GET: RequestHandler = () => redirect(303, '/');
