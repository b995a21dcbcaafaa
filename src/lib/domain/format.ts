/** Date and time formatting for a language and a time zone; pure, no app imports. */

/** English as written in Europe (24 November, 18:00), Dutch as in the Netherlands. */
const intlLocales: Record<string, string> = { nl: 'nl-NL', en: 'en-GB' };
const intl = (locale: string) => intlLocales[locale] ?? locale;

export function formatTime(instant: string | Date, locale: string, timeZone: string): string {
	return new Intl.DateTimeFormat(intl(locale), { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(instant));
}

/** "dinsdag 24 november" for a `YYYY-MM-DD` calendar day. */
export function formatDay(date: string, locale: string): string {
	// Noon UTC of that day: the same calendar day in every zone we format for.
	return new Intl.DateTimeFormat(intl(locale), { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
		new Date(`${date}T12:00:00Z`)
	);
}

/** How many calendar days `date` lies after `today` (both `YYYY-MM-DD`). */
export function daysFrom(today: string, date: string): number {
	return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}
