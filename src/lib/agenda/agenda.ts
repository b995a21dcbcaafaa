import { z } from 'zod';
import { localDate } from '../ui/format.ts';

import { activityKinds, type ActivityKind } from '../activities/vocabulary.ts';

export { activityKinds, type ActivityKind };

export const neighbourhoodSchema = z.object({
	id: z.uuid(),
	slug: z.string(),
	name: z.string(),
	description: z.string(),
	time_zone: z.string(),
	/** Its public pages let a visitor join with a first name (a coordinator can close them). */
	open_for_joining: z.boolean()
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
		capacity: z.number().int().nullable(),
		cost_kind: z.enum(['free', 'pay_what_you_can', 'price']),
		child_friendly: z.boolean(),
		wheelchair_accessible: z.boolean(),
		languages: z.array(z.string()),
		/** The zone its times are read in (the neighbourhood's). */
		schedule_time_zone: z.string()
	})
});
export const agendaGatheringColumns =
	'id, starts_at, ends_at, status, place_name, activity:activity!inner(id, title, kind, place_name, capacity, cost_kind, child_friendly, wheelchair_accessible, languages, schedule_time_zone, neighbourhood_id)';
export type AgendaGathering = z.infer<typeof agendaGatheringSchema>;

/** A neighbourhood's upcoming gatherings, by day. */
export interface NeighbourhoodAgenda {
	neighbourhood: Neighbourhood;
	days: AgendaDay[];
	/** The person hosts here or coordinates: they plan, so every day with nothing on is shown in full. */
	plans: boolean;
	/** Per gathering id: places left (dates with a capacity) and the person's own answer. */
	marks: Record<string, AgendaMark>;
}

/** What an agenda card adds to the date: how full it is, and whether this person goes. */
export interface AgendaMark {
	placesLeft: number | null;
	mine: 'going' | 'waitlist' | 'maybe' | null;
}

/** Marks for each gathering from the places left and the person's own plans. */
export function agendaMarks(
	gatherings: readonly { id: string }[],
	placesLeft: ReadonlyMap<string, number>,
	plans: readonly { gathering_id: string; status: AgendaMark['mine'] }[]
): Record<string, AgendaMark> {
	const mine = new Map(plans.map((p) => [p.gathering_id, p.status]));
	return Object.fromEntries(gatherings.map((g) => [g.id, { placesLeft: placesLeft.get(g.id) ?? null, mine: mine.get(g.id) ?? null }]));
}


export interface AgendaDay {
	/** The calendar day in the neighbourhood's time zone, `YYYY-MM-DD`. */
	date: string;
	gatherings: AgendaGathering[];
	/** Nothing starts from 17:00 on: a free evening someone could fill. */
	eveningFree?: boolean;
}

/** What people filter the agenda by (from the query string; anything else is ignored). */
export const agendaFilterSchema = z.object({
	free: z.literal('1').optional().catch(undefined),
	evening: z.literal('1').optional().catch(undefined),
	weekend: z.literal('1').optional().catch(undefined),
	children: z.literal('1').optional().catch(undefined),
	wheelchair: z.literal('1').optional().catch(undefined),
	lang: z.string().regex(/^[a-z]{2,3}$/).optional().catch(undefined)
});
export type AgendaFilter = z.infer<typeof agendaFilterSchema>;

const EVENING_FROM = '17:00';

function localParts(instant: string, timeZone: string) {
	const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
		new Date(instant)
	);
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return { weekday: get('weekday'), time: `${get('hour')}:${get('minute')}` };
}

export function matchesFilter(g: AgendaGathering, filter: AgendaFilter, timeZone: string): boolean {
	const local = localParts(g.starts_at, timeZone);
	if (filter.free && g.activity.cost_kind !== 'free') return false;
	if (filter.evening && local.time < EVENING_FROM) return false;
	if (filter.weekend && local.weekday !== 'Sat' && local.weekday !== 'Sun') return false;
	if (filter.children && !g.activity.child_friendly) return false;
	if (filter.wheelchair && !g.activity.wheelchair_accessible) return false;
	if (filter.lang && !g.activity.languages.includes(filter.lang)) return false;
	return true;
}

/**
 * Every day from `today` for `days` days, empty ones included, so gaps show: a day with
 * nothing on, or an evening with nothing on, is an invitation to start something.
 */
export function withGaps(days: AgendaDay[], today: string, timeZone: string, count = 14): AgendaDay[] {
	const byDate = new Map(days.map((d) => [d.date, d]));
	const result: AgendaDay[] = [];
	for (let i = 0; i < count; i++) {
		const date = new Date(Date.parse(`${today}T12:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
		const day = byDate.get(date) ?? { date, gatherings: [] };
		const evening = day.gatherings.some((g) => g.status === 'scheduled' && localParts(g.starts_at, timeZone).time >= EVENING_FROM);
		result.push({ ...day, eveningFree: !evening });
	}
	// Days after the gap window keep only what is on.
	return [...result, ...days.filter((d) => d.date >= result.at(-1)!.date && !result.some((r) => r.date === d.date))];
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
