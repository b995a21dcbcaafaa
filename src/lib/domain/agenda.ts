import { z } from 'zod';
import { localDate } from './format.ts';

/** Activity kinds, in the order the app offers them. */
export const activityKinds = [
	'shared_dinner',
	'themed_evening',
	'repair_cafe',
	'coffee_morning',
	'walk',
	'other'
] as const;
export type ActivityKind = (typeof activityKinds)[number];

export const neighbourhoodSchema = z.object({
	id: z.uuid(),
	slug: z.string(),
	name: z.string(),
	description: z.string(),
	time_zone: z.string()
});
export type Neighbourhood = z.infer<typeof neighbourhoodSchema>;

export const agendaGatheringSchema = z.object({
	id: z.uuid(),
	starts_at: z.string(),
	ends_at: z.string(),
	status: z.enum(['scheduled', 'cancelled']),
	place_name: z.string().nullable(),
	activity: z.object({
		id: z.uuid(),
		title: z.string(),
		kind: z.enum(activityKinds),
		place_name: z.string(),
		capacity: z.number().int().nullable()
	})
});
export type AgendaGathering = z.infer<typeof agendaGatheringSchema>;

/** A neighbourhood's upcoming gatherings, by day. */
export interface NeighbourhoodAgenda {
	neighbourhood: Neighbourhood;
	days: AgendaDay[];
}

export interface AgendaDay {
	/** The calendar day in the neighbourhood's time zone, `YYYY-MM-DD`. */
	date: string;
	gatherings: AgendaGathering[];
}

/** Groups gatherings (sorted by start) into days as people in `timeZone` experience them. */
export function groupByLocalDay(gatherings: AgendaGathering[], timeZone: string): AgendaDay[] {
	const days: AgendaDay[] = [];
	for (const gathering of [...gatherings].sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at))) {
		const date = localDate(gathering.starts_at, timeZone);
		const last = days.at(-1);
		if (last?.date === date) last.gatherings.push(gathering);
		else days.push({ date, gatherings: [gathering] });
	}
	return days;
}
