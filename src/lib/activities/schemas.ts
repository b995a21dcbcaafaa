import { z } from 'zod';
import { formCheckbox, formText } from '../forms/forms.ts';
import { isRealDate, scheduleSchema } from './recurrence.ts';
import { spokenLanguages } from './vocabulary.ts';

/** An activity, and cancelling or moving one of its gatherings. Error messages are message keys (src/lib/i18n/messages). */
export const activityFormSchema = z
	.object({
		title: z.string({ message: 'error_title_required' }).trim().min(1, 'error_title_required').max(120, 'error_title_too_long'),
		kind: z.enum(['shared_dinner', 'themed_evening', 'repair_cafe', 'coffee_morning', 'walk', 'other'], {
			message: 'error_general_form'
		}),
		description: formText(4000, 'error_text_too_long'),
		place_name: z.string({ message: 'error_place_required' }).trim().min(1, 'error_place_required').max(200, 'error_text_too_long'),
		place_address: formText(300, 'error_text_too_long'),
		map_url: z
			.string()
			.trim()
			.max(500, 'error_map_url')
			.regex(/^(https?:\/\/[^\s<>"]+)?$/, 'error_map_url')
			.default(''),
		accessibility_notes: formText(500, 'error_text_too_long'),
		what_to_bring: formText(500, 'error_text_too_long'),
		languages: z.preprocess(
			(v) => (typeof v === 'string' ? [v] : (v ?? [])),
			z
				.array(z.enum(spokenLanguages, { message: 'error_language' }))
				.min(1, 'error_languages_required')
				.max(8, 'error_languages_required')
		),
		wheelchair_accessible: formCheckbox,
		hearing_loop: formCheckbox,
		quiet_space: formCheckbox,
		child_friendly: formCheckbox,
		capacity: z.preprocess(
			(v) => (v == null || (typeof v === 'string' && v.trim() === '') ? null : v),
			z.union([
				z.null(),
				z.coerce.number({ message: 'error_capacity' }).int('error_capacity').min(1, 'error_capacity').max(500, 'error_capacity')
			])
		),
		first_timer_places: z.preprocess(
			(v) => (v == null || (typeof v === 'string' && v.trim() === '') ? 0 : v),
			z.coerce.number({ message: 'error_first_timer_places' }).int('error_first_timer_places').min(0, 'error_first_timer_places').max(50, 'error_first_timer_places')
		),
		first_timer_release_hours: z.enum(['6', '24', '48'], { message: 'error_general_form' }).default('24').transform(Number),
		cost_kind: z.enum(['free', 'pay_what_you_can', 'price'], { message: 'error_general_form' }),
		price: z.string().trim().max(10, 'error_price').default(''),
		meal_included: formCheckbox
	})
	.and(scheduleSchema)
	.transform((v, ctx) => {
		let price_cents: number | null = null;
		if (v.cost_kind === 'price') {
			const euros = /^(\d{1,4})(?:[.,](\d{1,2}))?$/.exec(v.price);
			if (!euros) {
				ctx.addIssue({ code: 'custom', path: ['price'], message: 'error_price' });
				return z.NEVER;
			}
			price_cents = Number(euros[1]) * 100 + Number((euros[2] ?? '0').padEnd(2, '0'));
			if (price_cents < 1 || price_cents > 100_000) {
				ctx.addIssue({ code: 'custom', path: ['price'], message: 'error_price' });
				return z.NEVER;
			}
		}
		return { ...v, price_cents };
	});
export type ActivityForm = z.output<typeof activityFormSchema>;

export const cancelFormSchema = z.object({
	reason: z.string().trim().min(1, 'error_reason_required').max(500, 'error_text_too_long')
});

export const moveFormSchema = z
	.object({
		// A date that exists, in years a gathering can plausibly be moved to.
		date: z
			.string()
			.regex(/^\d{4}-\d{2}-\d{2}$/, 'error_date')
			.refine((d) => isRealDate(d) && d >= '2000-01-01' && d <= '2199-12-31', 'error_date'),
		start_time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'error_time'),
		end_time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'error_time'),
		place_name: formText(200, 'error_text_too_long'),
		place_address: formText(300, 'error_text_too_long')
	})
	.refine((v) => v.end_time > v.start_time, { path: ['end_time'], message: 'error_end_before_start' });
