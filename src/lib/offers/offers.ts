import { z } from 'zod';
import { spokenLanguages } from '../activities/vocabulary.ts';
import { localDate } from '../ui/format.ts';
import { materialHandovers, materialTerms, offerFrequencies, offerKinds, pledgeStatuses } from './offer-vocabulary.ts';

/**
 * Forms and query strings of offers, needs, pledges and organisations. Error messages are
 * message keys; the database checks the same rules again.
 */

const blankToNull = (v: unknown) => (v == null || (typeof v === 'string' && v.trim() === '') ? null : v);
const text = (max: number) => z.string().trim().max(max, 'error_text_too_long').default('');
const title = z.string({ message: 'error_title_required' }).trim().min(1, 'error_title_required').max(120, 'error_title_too_long');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'error_date').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'error_date');
const optionalDate = z.preprocess(blankToNull, z.union([z.null(), isoDate]));
const optionalUuid = z.preprocess(blankToNull, z.union([z.null(), z.uuid({ message: 'error_general_form' })]));
const list = (v: unknown) => (typeof v === 'string' ? [v] : (v ?? []));
const languages = z.preprocess(list, z.array(z.enum(spokenLanguages, { message: 'error_language' })).max(8, 'error_language'));
const neighbourhoods = z.preprocess(
	list,
	z.array(z.uuid({ message: 'error_general_form' })).min(1, 'error_offer_neighbourhoods').max(20, 'error_offer_neighbourhoods')
);
const quantity = (max: number) =>
	z.coerce.number({ message: 'error_quantity' }).int('error_quantity').min(1, 'error_quantity').max(max, 'error_quantity');

export const offerKindSchema = z.enum(offerKinds, { message: 'error_offer_kind' });

export const offerFormSchema = z
	.object({
		organisation: optionalUuid,
		kind: offerKindSchema,
		title,
		details: text(2000),
		quantity: z.preprocess((v) => blankToNull(v) ?? 1, quantity(1000)),
		hands_when: text(200),
		hands_minutes: z.preprocess(
			blankToNull,
			z.union([z.null(), z.coerce.number({ message: 'error_offer_minutes' }).int('error_offer_minutes').min(15, 'error_offer_minutes').max(1440, 'error_offer_minutes')])
		),
		hands_frequency: z.preprocess(blankToNull, z.union([z.null(), z.enum(offerFrequencies, { message: 'error_general_form' })])),
		languages,
		terms: z.preprocess(blankToNull, z.union([z.null(), z.enum(materialTerms, { message: 'error_offer_terms' })])),
		handover: z.preprocess(blankToNull, z.union([z.null(), z.enum(materialHandovers, { message: 'error_offer_handover' })])),
		available_from: optionalDate,
		available_until: optionalDate,
		neighbourhoods
	})
	.superRefine((v, ctx) => {
		if (v.kind === 'materials' && !v.terms) ctx.addIssue({ code: 'custom', path: ['terms'], message: 'error_offer_terms' });
		if (v.kind === 'materials' && !v.handover) ctx.addIssue({ code: 'custom', path: ['handover'], message: 'error_offer_handover' });
		if (v.kind !== 'materials' && v.quantity > 50) ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'error_quantity' });
		if (v.available_from && v.available_until && v.available_until < v.available_from) {
			ctx.addIssue({ code: 'custom', path: ['available_until'], message: 'error_end_before_start' });
		}
	})
	// Fields of another kind are dropped, so an edited offer never keeps stale answers.
	.transform((v) => ({
		...v,
		quantity: v.kind === 'knowledge' ? 1 : v.quantity,
		hands_when: v.kind === 'hands' ? v.hands_when : '',
		hands_minutes: v.kind === 'hands' ? v.hands_minutes : null,
		hands_frequency: v.kind === 'hands' ? v.hands_frequency : null,
		languages: v.kind === 'knowledge' ? v.languages : [],
		terms: v.kind === 'materials' ? v.terms : null,
		handover: v.kind === 'materials' ? v.handover : null
	}));
export type OfferForm = z.output<typeof offerFormSchema>;

export const offerStatusFormSchema = z.object({
	offer: z.uuid({ message: 'error_general_form' }),
	status: z.enum(['active', 'paused', 'withdrawn'], { message: 'error_general_form' })
});

export const needFormSchema = z
	.object({
		activity: z.uuid({ message: 'error_general_form' }),
		gathering: optionalUuid,
		slot: optionalUuid,
		kind: offerKindSchema,
		title,
		details: text(2000),
		quantity: z.preprocess((v) => blankToNull(v) ?? 1, quantity(1000)),
		languages,
		needed_on: optionalDate
	})
	.superRefine((v, ctx) => {
		if (v.slot && !v.gathering) ctx.addIssue({ code: 'custom', path: ['slot'], message: 'error_general_form' });
	})
	.transform((v) => ({
		...v,
		quantity: v.kind === 'knowledge' ? 1 : v.quantity,
		languages: v.kind === 'knowledge' ? v.languages : [],
		needed_on: v.gathering ? null : v.needed_on
	}));
export type NeedForm = z.output<typeof needFormSchema>;

export const needStatusFormSchema = z.object({
	need: z.uuid({ message: 'error_general_form' }),
	status: z.enum(['open', 'closed'], { message: 'error_general_form' })
});

export const needQuantityFormSchema = z.object({
	need: z.uuid({ message: 'error_general_form' }),
	quantity: quantity(1000)
});

export const pledgeFormSchema = z.object({
	need: z.uuid({ message: 'error_general_form' }),
	quantity: z.preprocess((v) => blankToNull(v) ?? 1, quantity(1000)),
	organisation: optionalUuid,
	offer: optionalUuid,
	message: text(500),
	contact: text(300)
});
export type PledgeForm = z.output<typeof pledgeFormSchema>;

export const pledgeStepFormSchema = z.object({
	pledge: z.uuid({ message: 'error_general_form' }),
	step: z.enum(pledgeStatuses.filter((s) => s !== 'offered') as ['accepted', 'delivered', 'declined', 'withdrawn'], {
		message: 'error_general_form'
	}),
	contact: text(300)
});

export const thankFormSchema = z.object({
	pledge: z.uuid({ message: 'error_general_form' }),
	thanks: z.string().trim().min(1, 'error_thanks_required').max(300, 'error_text_too_long')
});

export const inviteOfferFormSchema = z.object({
	need: z.uuid({ message: 'error_general_form' }),
	offer: z.uuid({ message: 'error_general_form' })
});

export const organisationFormSchema = z.object({
	name: z.string({ message: 'error_organisation_name' }).trim().min(1, 'error_organisation_name').max(120, 'error_title_too_long'),
	description: text(2000),
	website: z.string().trim().max(500, 'error_website').regex(/^(https?:\/\/[^\s<>"]+)?$/, 'error_website').default(''),
	// Only an https address: the picture is shown on other people's pages.
	logo_url: z.string().trim().max(500, 'error_logo_url').regex(/^(https:\/\/[^\s<>"]+)?$/, 'error_logo_url').default(''),
	contact: text(300),
	neighbourhoods: z.preprocess(list, z.array(z.uuid({ message: 'error_general_form' })).max(20, 'error_offer_neighbourhoods')).default([])
});
export type OrganisationForm = z.output<typeof organisationFormSchema>;

export const decideOrganisationFormSchema = z.object({
	organisation: z.uuid({ message: 'error_general_form' }),
	approve: z.enum(['yes', 'no'], { message: 'error_general_form' }).transform((v) => v === 'yes')
});

/**
 * The needs-and-offers page's query string: kind and a date range. Anything unreadable falls
 * back to "all", so a mangled shared link still opens the page.
 */
export const needsFilterSchema = z.object({
	kind: z.enum(offerKinds).nullable().catch(null).default(null),
	from: isoDate.nullable().catch(null).default(null),
	to: isoDate.nullable().catch(null).default(null)
});
export type NeedsFilter = z.output<typeof needsFilterSchema>;

export function parseNeedsFilter(params: URLSearchParams): NeedsFilter {
	const filter = needsFilterSchema.parse({
		kind: params.get('kind') || null,
		from: params.get('from') || null,
		to: params.get('to') || null
	});
	// A range given backwards is read the right way round.
	if (filter.from && filter.to && filter.to < filter.from) return { ...filter, from: filter.to, to: filter.from };
	return filter;
}

/** The local date a need is for: its gathering's day in the activity's zone, its own date, or none (any time). */
export function needDate(need: { needed_on: string | null; gathering: { starts_at: string } | null; activity: { schedule_time_zone: string } }): string | null {
	if (need.gathering) return localDate(need.gathering.starts_at, need.activity.schedule_time_zone);
	return need.needed_on;
}

/**
 * Whether a need is still to come on `today` (the neighbourhood's date): its gathering is
 * scheduled on that day or later, or its own date is; a need without a date always is. Days are
 * local days (needDate), never UTC ones: around midnight those differ.
 */
export function needIsAhead(
	need: { needed_on: string | null; gathering: { starts_at: string; status: string } | null; activity: { schedule_time_zone: string } },
	today: string
): boolean {
	if (need.gathering) return need.gathering.status === 'scheduled' && needDate(need)! >= today;
	return !need.needed_on || need.needed_on >= today;
}

/** Whether a need fits the page's filter; needs without a date fit any range. */
export function needMatches(need: { kind: string; date: string | null }, filter: NeedsFilter): boolean {
	if (filter.kind && need.kind !== filter.kind) return false;
	if (need.date === null) return true;
	if (filter.from && need.date < filter.from) return false;
	if (filter.to && need.date > filter.to) return false;
	return true;
}

/** A form's values as typed (repeated fields joined by commas), to show them again after a refusal. */
export function typedValues(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [key, value] of form) {
		if (typeof value !== 'string') continue;
		values[key] = key in values ? `${values[key]},${value.slice(0, 2000)}` : value.slice(0, 2000);
	}
	return values;
}
