import { z } from 'zod';
import { isRealDate, scheduleSchema } from '../activities/recurrence.ts';
import { spokenLanguages } from '../activities/vocabulary.ts';

/**
 * Schemas for what people type into forms. Error messages are message keys (see
 * src/lib/i18n/messages), so every edge shows the reason in the person's language.
 */
export const locales = ['nl', 'en'] as const;
export type Locale = (typeof locales)[number];

// Letters of any script, marks, spaces and a few signs; no markup, no control characters.
const displayName = z
	.string({ message: 'error_name_required' })
	.transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
	.pipe(
		z
			.string()
			.min(1, 'error_name_required')
			.max(40, 'error_name_too_long')
			.regex(/^[\p{L}\p{M}\p{N} .'’\-]+$/u, 'error_name_characters')
	);

export const joinFormSchema = z.object({
	display_name: displayName,
	lang: z.enum(locales, { message: 'error_language' })
});

export const profileFormSchema = z.object({
	display_name: displayName,
	lang: z.enum(locales, { message: 'error_language' })
});

export const emailFormSchema = z.object({
	email: z
		.string({ message: 'error_email' })
		.trim()
		.toLowerCase()
		.max(254, 'error_email')
		.pipe(z.email({ message: 'error_email' }))
});

export const uuidFormValue = z.uuid({ message: 'error_general_form' });

export const inviteFormSchema = z.object({
	target: z
		.string({ message: 'error_invite_target' })
		.regex(/^[0-9a-f-]{36}(\|[0-9a-f-]{36})?$/, 'error_invite_target')
		.transform((value) => {
			const [neighbourhoodId, activityId] = value.split('|');
			return { neighbourhoodId: neighbourhoodId!, activityId: activityId ?? null };
		}),
	label: z.string().trim().max(80, 'error_label_too_long').default(''),
	valid_days: z
		.enum(['', '7', '30', '90', '365'], { message: 'error_general_form' })
		.transform((v) => (v === '' ? null : Number(v)))
});

export type FieldErrors = Record<string, string>;

/** Form fields that may repeat (checkbox groups); they parse as arrays. */
const repeatable = new Set(['languages', 'neighbourhoods']);

/** The fields an object schema knows (through refinements and transforms), or null when it cannot tell. */
function knownFields(schema: z.ZodType): Set<string> | null {
	if (schema instanceof z.ZodObject) return new Set(Object.keys(schema.shape));
	if (schema instanceof z.ZodPipe) return knownFields(schema.in as z.ZodType);
	return null;
}

/**
 * Parses form data; on failure, one message key per field, and the values as typed. Fields the
 * schema does not know are ignored (zod would drop them): an error under a name the form does
 * not show would leave a person without JavaScript with no message at all.
 */
export function parseForm<T extends z.ZodType>(
	schema: T,
	form: FormData
): { ok: true; data: z.output<T> } | { ok: false; errors: FieldErrors; values: Record<string, string> } {
	const values: Record<string, string> = {};
	const input: Record<string, string | string[]> = {};
	const unstorable: FieldErrors = {};
	const known = knownFields(schema);
	for (const [key, value] of form) {
		if (typeof value !== 'string' || (known && !known.has(key))) continue;
		// NUL and lone surrogates cannot be stored in PostgreSQL text (the Data API answers 500).
		if (value.includes('\u0000') || !value.isWellFormed()) unstorable[key] ??= 'error_text_characters';
		// Cut without splitting a character in two (a lone half cannot be stored either).
		const text = value.slice(0, 5000).toWellFormed();
		if (repeatable.has(key)) {
			input[key] = [...((input[key] as string[] | undefined) ?? []), text].slice(0, 20);
			values[key] = (input[key] as string[]).join(',');
		} else {
			input[key] = text;
			values[key] = text;
		}
	}
	const result = schema.safeParse(input);
	if (result.success && Object.keys(unstorable).length === 0) return { ok: true, data: result.data };
	const errors: FieldErrors = { ...unstorable };
	for (const issue of result.error?.issues ?? []) {
		const field = issue.path[0] === undefined || (known && !known.has(String(issue.path[0]))) ? 'form' : String(issue.path[0]);
		errors[field] ??= issue.message.startsWith('error_') ? issue.message : 'error_general_form';
	}
	return { ok: false, errors, values };
}

// Activities -----------------------------------------------------------------------------

const checkbox = z.preprocess((v) => v === 'on' || v === 'true', z.boolean());
const text = (max: number, key: string) => z.string().trim().max(max, key).default('');


export const activityFormSchema = z
	.object({
		title: z.string({ message: 'error_title_required' }).trim().min(1, 'error_title_required').max(120, 'error_title_too_long'),
		kind: z.enum(['shared_dinner', 'themed_evening', 'repair_cafe', 'coffee_morning', 'walk', 'other'], {
			message: 'error_general_form'
		}),
		description: text(4000, 'error_text_too_long'),
		place_name: z.string({ message: 'error_place_required' }).trim().min(1, 'error_place_required').max(200, 'error_text_too_long'),
		place_address: text(300, 'error_text_too_long'),
		map_url: z
			.string()
			.trim()
			.max(500, 'error_map_url')
			.regex(/^(https?:\/\/[^\s<>"]+)?$/, 'error_map_url')
			.default(''),
		accessibility_notes: text(500, 'error_text_too_long'),
		what_to_bring: text(500, 'error_text_too_long'),
		languages: z.preprocess(
			(v) => (typeof v === 'string' ? [v] : (v ?? [])),
			z
				.array(z.enum(spokenLanguages, { message: 'error_language' }))
				.min(1, 'error_languages_required')
				.max(8, 'error_languages_required')
		),
		wheelchair_accessible: checkbox,
		hearing_loop: checkbox,
		quiet_space: checkbox,
		child_friendly: checkbox,
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
		meal_included: checkbox
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
		place_name: text(200, 'error_text_too_long'),
		place_address: text(300, 'error_text_too_long')
	})
	.refine((v) => v.end_time > v.start_time, { path: ['end_time'], message: 'error_end_before_start' });

export const ideaFormSchema = z.object({
	title: z.string({ message: 'error_title_required' }).trim().min(1, 'error_title_required').max(120, 'error_title_too_long'),
	description: text(2000, 'error_text_too_long'),
	kind: z.enum(['shared_dinner', 'themed_evening', 'repair_cafe', 'coffee_morning', 'walk', 'other'], { message: 'error_general_form' })
});
