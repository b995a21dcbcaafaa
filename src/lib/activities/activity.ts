import { z } from 'zod';
import { activityKinds } from '../agenda/agenda.ts';

import { costKinds, type CostKind } from './vocabulary.ts';

export { costKinds, type CostKind };

/** What anyone may know about an activity: enough to decide whether to come. */
export const activitySummarySchema = z.object({
	id: z.uuid(),
	neighbourhood_id: z.uuid(),
	title: z.string(),
	kind: z.enum(activityKinds),
	description: z.string(),
	place_name: z.string(),
	place_address: z.string(),
	schedule_time_zone: z.string(),
	capacity: z.number().int().nullable(),
	cost_kind: z.enum(costKinds),
	price_cents: z.number().int().nullable(),
	meal_included: z.boolean(),
	status: z.enum(['active', 'paused', 'ended']),
	map_url: z.string().nullable(),
	accessibility_notes: z.string(),
	languages: z.array(z.string()),
	wheelchair_accessible: z.boolean(),
	hearing_loop: z.boolean(),
	quiet_space: z.boolean(),
	child_friendly: z.boolean(),
	what_to_bring: z.string(),
	schedule_rrule: z.string(),
	schedule_starts_at: z.string(),
	duration_minutes: z.number().int(),
	schedule_until: z.string().nullable(),
	max_guests: z.number().int(),
	first_timer_places: z.number().int(),
	first_timer_release_hours: z.number().int()
});
export type ActivitySummary = z.infer<typeof activitySummarySchema>;
export const activitySummaryColumns =
	'id, neighbourhood_id, title, kind, description, place_name, place_address, schedule_time_zone, capacity, cost_kind, price_cents, meal_included, status, map_url, accessibility_notes, languages, wheelchair_accessible, hearing_loop, quiet_space, child_friendly, what_to_bring, schedule_rrule, schedule_starts_at, duration_minutes, schedule_until, max_guests, first_timer_places, first_timer_release_hours';

/** The stored schedule of an activity, as the recurrence module reads it. */
export function storedScheduleOf(a: Pick<ActivitySummary, 'schedule_rrule' | 'schedule_starts_at' | 'schedule_time_zone' | 'duration_minutes' | 'schedule_until'>) {
	return {
		rrule: a.schedule_rrule,
		startsAtLocal: a.schedule_starts_at.slice(0, 16),
		timeZone: a.schedule_time_zone,
		durationMinutes: a.duration_minutes,
		until: a.schedule_until
	};
}


