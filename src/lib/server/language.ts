import type { Cookies } from '@sveltejs/kit';

/** The device's language choice; readable by the page script too, as it only holds a language. */
export const LANGUAGE_COOKIE = 'buurtbord_lang';

export function setLanguageCookie(cookies: Cookies, locale: string) {
	cookies.set(LANGUAGE_COOKIE, locale, { path: '/', maxAge: 365 * 24 * 3600, httpOnly: false, sameSite: 'lax' });
}
