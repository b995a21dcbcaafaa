/** Date and time formatting for a language and a time zone; pure, no app imports. */

/** English as written in Europe (24 November, 18:00), Dutch as in the Netherlands. */
const intlLocales: Record<string, string> = { nl: 'nl-NL', en: 'en-GB' };

// Building an Intl.DateTimeFormat costs far more than using one; a page formats hundreds
// of times with a handful of distinct settings.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}|${JSON.stringify(options)}`;
	let formatter = formatters.get(key);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat(intlLocales[locale] ?? locale, options);
		if (formatters.size > 500) formatters.clear();
		formatters.set(key, formatter);
	}
	return formatter;
}

export function formatTime(instant: string | Date, locale: string, timeZone: string): string {
	return dateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(instant));
}

/** "dinsdag 24 november" for a `YYYY-MM-DD` calendar day. */
export function formatDay(date: string, locale: string): string {
	// Noon UTC of that day: the same calendar day in every zone we format for.
	return dateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
		new Date(`${date}T12:00:00Z`)
	);
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function localDate(instant: string | Date, timeZone: string): string {
	// en-CA writes dates as YYYY-MM-DD.
	return dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
		new Date(instant)
	);
}

/** When a gathering is, as its page heads it: the day ("dinsdag 24 november") and its times. */
export interface GatheringWhen {
	starts_at: string;
	ends_at: string;
	day: string;
	start: string;
	end: string;
}

/**
 * Worked out by the server for the page it renders, so the phone builds no date formatter while
 * the page starts (the first one costs a slow phone about 40 ms); the page works it out again
 * only when the gathering moves while it is open.
 */
export function gatheringWhen(startsAt: string, endsAt: string, locale: string, timeZone: string): GatheringWhen {
	return {
		starts_at: startsAt,
		ends_at: endsAt,
		day: formatDay(localDate(startsAt, timeZone), locale),
		start: formatTime(startsAt, locale, timeZone),
		end: formatTime(endsAt, locale, timeZone)
	};
}

/** How many calendar days `date` lies after `today` (both `YYYY-MM-DD`). */
export function daysFrom(today: string, date: string): number {
	return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** A price in euros for the language: "€ 3,50" or "€3.50". */
export function formatPrice(cents: number, locale: string): string {
	return new Intl.NumberFormat(intlLocales[locale] ?? locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}
