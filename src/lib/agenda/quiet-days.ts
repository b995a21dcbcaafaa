import type { AgendaDay } from './agenda.ts';

/*
 * Apart from agenda.ts, which holds the agenda's filter schema (zod): the agenda's page script
 * imports this, and zod must not reach the browser (its eval probe breaks the CSP, and it is heavy).
 */

/** A line of the agenda as most people read it: a day with something on, or a run of quiet days. */
export type AgendaLine = { day: AgendaDay } | { quiet: { from: string; to: string } };

/**
 * The agenda leading with what happens: days with nothing planned in a row become one short
 * line ("nothing planned from Tue 8 to Thu 10"), so the first screen on a phone shows what is on.
 */
export function withQuietRuns(days: AgendaDay[]): AgendaLine[] {
	const lines: AgendaLine[] = [];
	for (const day of days) {
		const last = lines.at(-1);
		if (day.gatherings.length) lines.push({ day });
		else if (last && 'quiet' in last) last.quiet.to = day.date;
		else lines.push({ quiet: { from: day.date, to: day.date } });
	}
	return lines;
}
