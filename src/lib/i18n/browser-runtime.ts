/**
 * What the page scripts use in place of Paraglide's runtime (swapped in for the browser build by
 * paraglideBrowserRuntime in src/build/paraglide-swaps.ts). In the browser the messages only ask which
 * language to speak, and the answer is the device's choice (the language cookie) or else Dutch:
 * the same strategy the server uses (vite.config.ts), so a page hydrates in the language it was
 * rendered in. Paraglide's runtime answers that question with every strategy it supports (URL
 * patterns, local storage, custom strategies), about 1 kB gzipped on every page.
 *
 * Unlike Paraglide's, this one never writes the cookie: only the person's own choice does
 * (routes/language, joining, a return link), never a default the page guessed.
 */
import { baseLocale, cookieName, locales, toLocale } from '$lib/paraglide/runtime.js';

export { baseLocale, locales };
export type Locale = (typeof locales)[number];

/** Paraglide's per-language builds are not used: the messages carry every language. */
export const experimentalStaticLocale: Locale | undefined = undefined;

// Reading document.cookie is slow (in Chromium a round trip to the browser process), and a page
// asks for the language with every message it renders: hundreds of times while it starts, about
// 60 ms on a slow phone. Read once per task; the cookie only changes through a server's answer,
// which arrives in a later task.
let current: Locale | undefined;

/** The language the page speaks: the one chosen on this device, else the base language. */
export function getLocale(): Locale {
	if (current === undefined) {
		current = localeOfCookies(document.cookie);
		setTimeout(() => (current = undefined));
	}
	return current;
}

// Read as Paraglide reads it: the first cookie of that name, its language in any letter case.
const languageCookie = new RegExp(`(?:^|;\\s*)${cookieName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=([^;]*)`);

/** The language a `document.cookie` string chooses, or else the base language. */
export function localeOfCookies(cookies: string): Locale {
	return toLocale(languageCookie.exec(cookies)?.[1]) ?? baseLocale;
}
