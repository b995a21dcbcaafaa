import type { Cookies } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';

/** The device's language choice; readable by the page script too, as it only holds a language. */
export const LANGUAGE_COOKIE = 'buurtbord_lang';

export function setLanguageCookie(cookies: Cookies, locale: string) {
	// Secure exactly when the app is served over https (SvelteKit's default would also mark it
	// Secure on plain http under any name but localhost, where browsers then drop it).
	const secure = getRequestEvent().url.protocol === 'https:';
	cookies.set(LANGUAGE_COOKIE, locale, { path: '/', maxAge: 365 * 24 * 3600, httpOnly: false, sameSite: 'lax', secure });
}
