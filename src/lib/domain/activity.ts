import { z } from 'zod';
import { activityKinds } from './agenda.ts';

export const costKinds = ['free', 'pay_what_you_can', 'price'] as const;
export type CostKind = (typeof costKinds)[number];

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
	status: z.enum(['active', 'paused', 'ended'])
});
export type ActivitySummary = z.infer<typeof activitySummarySchema>;
export const activitySummaryColumns =
	'id, neighbourhood_id, title, kind, description, place_name, place_address, schedule_time_zone, capacity, cost_kind, price_cents, meal_included, status';

/** A price in euros for the language: "€ 3,50" or "€3.50". */
export function formatPrice(cents: number, locale: string): string {
	return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'nl-NL', { style: 'currency', currency: 'EUR' }).format(
		cents / 100
	);
}
