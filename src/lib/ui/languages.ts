/* Apart from schedule.ts so that pages showing languages do not also carry the weekday names. */

/** Each spoken language named in itself, so people recognise their own. */
const endonyms: Record<string, string> = {
	nl: 'Nederlands',
	en: 'English',
	ar: 'العربية',
	tr: 'Türkçe',
	pl: 'Polski',
	uk: 'Українська',
	fr: 'Français',
	de: 'Deutsch',
	es: 'Español',
	so: 'Soomaali',
	ti: 'ትግርኛ',
	fa: 'فارسی',
	ber: 'Tamaziɣt',
	pap: 'Papiamentu',
	zh: '中文'
};
export const languageName = (code: string) => endonyms[code] ?? code;
