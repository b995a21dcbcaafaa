import { redirect, text } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { locales } from '$lib/paraglide/runtime';
import { localPathSchema } from '$lib/domain/schemas';
import type { RequestHandler } from './$types';

const languageForm = z.object({
	lang: z.enum(locales),
	redirectTo: localPathSchema.catch('/')
});

const ONE_YEAR = 365 * 24 * 3600;

/** The language switch: a plain form post, so it works without JavaScript. */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const parsed = languageForm.safeParse(Object.fromEntries(await request.formData()));
	if (!parsed.success) return text(m.language_invalid(), { status: 400 });
	// Readable by the page script too (not HttpOnly): it only holds the language.
	cookies.set('buurtbord_lang', parsed.data.lang, { path: '/', maxAge: ONE_YEAR, httpOnly: false, sameSite: 'lax' });
	redirect(303, parsed.data.redirectTo);
};

export const GET: RequestHandler = () => redirect(303, '/');
