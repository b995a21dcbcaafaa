/**
 * Where a calendar feed lives and how to subscribe to it; no dependencies, so pages in the
 * browser may import this.
 */
export type FeedLocale = 'nl' | 'en';

export const feedPaths = {
	activity: (id: string) => `/feeds/activity/${id}.ics`,
	neighbourhood: (slug: string) => `/feeds/neighbourhood/${slug}.ics`,
	personal: (token: string) => `/feeds/personal/${token}.ics`,
	gathering: (id: string) => `/g/${id}/calendar.ics`
};

/** The feed's full https URL; public feeds carry the language when it is not Dutch. */
export function feedUrl(origin: string, path: string, locale: FeedLocale = 'nl'): string {
	return `${origin}${path}${locale === 'nl' ? '' : `?lang=${locale}`}`;
}

/** The same URL as webcal://: Apple Calendar, Outlook and Thunderbird subscribe on a tap. */
export function webcalUrl(url: string): string {
	return url.replace(/^https?:\/\//, 'webcal://');
}

/** Google Calendar's "add by URL" page with the feed filled in (Android has no webcal handler). */
export function googleSubscribeUrl(url: string): string {
	return `https://calendar.google.com/calendar/render?cid=${encodeURIComponent(webcalUrl(url))}`;
}
