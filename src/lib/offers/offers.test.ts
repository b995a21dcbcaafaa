import { describe, expect, it } from 'vitest';
import { parseForm } from '../forms/forms.ts';
import { needDate, needFormSchema, needIsAhead, needMatches, offerFormSchema, organisationFormSchema, parseNeedsFilter, pledgeFormSchema, pledgeStepFormSchema } from './offers.ts';

const nb = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const nb2 = '7f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

function form(entries: [string, string][]) {
	const data = new FormData();
	for (const [k, v] of entries) data.append(k, v);
	return data;
}

describe('offerFormSchema', () => {
	it('reads materials with terms and handover, and several neighbourhoods', () => {
		const parsed = parseForm(
			offerFormSchema,
			form([
				['kind', 'materials'],
				['title', ' Klapstoelen '],
				['quantity', '40'],
				['terms', 'lend'],
				['handover', 'pick_up'],
				['neighbourhoods', nb],
				['neighbourhoods', nb2],
				['organisation', '']
			])
		);
		expect(parsed).toMatchObject({ ok: true, data: { title: 'Klapstoelen', quantity: 40, terms: 'lend', handover: 'pick_up', neighbourhoods: [nb, nb2], organisation: null } });
	});

	it('asks materials for lend-or-give and pick-up-or-delivered', () => {
		const parsed = parseForm(offerFormSchema, form([['kind', 'materials'], ['title', 'Tafels'], ['neighbourhoods', nb]]));
		expect(parsed).toMatchObject({ ok: false, errors: { terms: 'error_offer_terms', handover: 'error_offer_handover' } });
	});

	it('drops fields of another kind, and knowledge counts as one', () => {
		const parsed = offerFormSchema.parse({ kind: 'knowledge', title: 'Energierekening uitleggen', quantity: '7', terms: 'give', languages: ['nl', 'ar'], hands_minutes: '60', neighbourhoods: nb });
		expect(parsed).toMatchObject({ quantity: 1, terms: null, hands_minutes: null, languages: ['nl', 'ar'] });
		const hands = offerFormSchema.parse({ kind: 'hands', title: 'Koken', quantity: '2', hands_minutes: '120', hands_frequency: 'weekly', languages: 'nl', neighbourhoods: nb });
		expect(hands).toMatchObject({ quantity: 2, hands_minutes: 120, hands_frequency: 'weekly', languages: [] });
	});

	it('refuses no neighbourhood, a window ending before it starts, and an unknown kind', () => {
		expect(parseForm(offerFormSchema, form([['kind', 'hands'], ['title', 'x']]))).toMatchObject({ ok: false, errors: { neighbourhoods: 'error_offer_neighbourhoods' } });
		const backwards = parseForm(offerFormSchema, form([['kind', 'hands'], ['title', 'x'], ['neighbourhoods', nb], ['available_from', '2026-12-10'], ['available_until', '2026-12-01']]));
		expect(backwards).toMatchObject({ ok: false, errors: { available_until: 'error_end_before_start' } });
		expect(parseForm(offerFormSchema, form([['kind', 'money'], ['title', 'x'], ['neighbourhoods', nb]]))).toMatchObject({ ok: false, errors: { kind: 'error_offer_kind' } });
		expect(parseForm(offerFormSchema, form([['kind', 'hands'], ['title', 'x'], ['quantity', '0'], ['neighbourhoods', nb]]))).toMatchObject({ ok: false, errors: { quantity: 'error_quantity' } });
	});
});

describe('needFormSchema', () => {
	it('keeps a date only for a need of the whole activity', () => {
		expect(needFormSchema.parse({ activity: nb, gathering: nb2, kind: 'materials', title: 'Stoelen', quantity: '20', needed_on: '2027-03-14' }).needed_on).toBeNull();
		expect(needFormSchema.parse({ activity: nb, gathering: '', kind: 'materials', title: 'Stoelen', needed_on: '2027-03-14' })).toMatchObject({ gathering: null, needed_on: '2027-03-14', quantity: 1 });
	});
	it('a slot needs its gathering', () => {
		expect(needFormSchema.safeParse({ activity: nb, slot: nb2, kind: 'hands', title: 'Koken' }).success).toBe(false);
	});
});

describe('pledges', () => {
	it('reads "I can help" with how many, and host steps', () => {
		expect(pledgeFormSchema.parse({ need: nb, quantity: '3', contact: ' 06-123 ' })).toMatchObject({ quantity: 3, contact: '06-123', organisation: null, offer: null });
		expect(pledgeFormSchema.safeParse({ need: nb, quantity: '-1' }).success).toBe(false);
		expect(pledgeStepFormSchema.parse({ pledge: nb, step: 'accepted' }).step).toBe('accepted');
		expect(pledgeStepFormSchema.safeParse({ pledge: nb, step: 'offered' }).success).toBe(false);
	});
});

describe('organisationFormSchema', () => {
	it('takes a logo only from an https address', () => {
		expect(organisationFormSchema.safeParse({ name: 'Bieb', logo_url: 'https://bieb.example/logo.png' }).success).toBe(true);
		expect(parseForm(organisationFormSchema, form([['name', 'Bieb'], ['logo_url', 'http://bieb.example/logo.png']]))).toMatchObject({ ok: false, errors: { logo_url: 'error_logo_url' } });
		expect(parseForm(organisationFormSchema, form([['name', 'Bieb'], ['logo_url', 'javascript:alert(1)']]))).toMatchObject({ ok: false, errors: { logo_url: 'error_logo_url' } });
		expect(parseForm(organisationFormSchema, form([['name', '  ']]))).toMatchObject({ ok: false, errors: { name: 'error_organisation_name' } });
	});
});

describe('needs filter', () => {
	it('reads kind and dates, ignores what it cannot read, and turns a backwards range around', () => {
		expect(parseNeedsFilter(new URLSearchParams('kind=materials&from=2027-03-01&to=2027-03-31'))).toEqual({ kind: 'materials', from: '2027-03-01', to: '2027-03-31' });
		expect(parseNeedsFilter(new URLSearchParams('kind=<script>&from=yesterday'))).toEqual({ kind: null, from: null, to: null });
		expect(parseNeedsFilter(new URLSearchParams('from=2027-03-31&to=2027-03-01'))).toEqual({ kind: null, from: '2027-03-01', to: '2027-03-31' });
	});

	it('matches needs by kind and local date; needs without a date match any range', () => {
		const filter = { kind: 'materials' as const, from: '2027-03-14', to: '2027-03-14' };
		expect(needMatches({ kind: 'materials', date: '2027-03-14' }, filter)).toBe(true);
		expect(needMatches({ kind: 'materials', date: '2027-03-15' }, filter)).toBe(false);
		expect(needMatches({ kind: 'hands', date: '2027-03-14' }, filter)).toBe(false);
		expect(needMatches({ kind: 'materials', date: null }, filter)).toBe(true);
	});

	it("a gathering's date is its local day, not the UTC one", () => {
		const need = { needed_on: null, gathering: { starts_at: '2027-03-14T23:30:00Z' }, activity: { schedule_time_zone: 'Europe/Amsterdam' } };
		expect(needDate(need)).toBe('2027-03-15');
	});
});

describe('needQuantityFormSchema', () => {
	it('takes a whole number from 1 to 1000', async () => {
		const { needQuantityFormSchema } = await import('./offers.ts');
		expect(needQuantityFormSchema.parse({ need: nb, quantity: '12' }).quantity).toBe(12);
		expect(needQuantityFormSchema.safeParse({ need: nb, quantity: '0' }).success).toBe(false);
		expect(needQuantityFormSchema.safeParse({ need: nb, quantity: '2.5' }).success).toBe(false);
	});
});

describe('needIsAhead', () => {
	const amsterdam = { schedule_time_zone: 'Europe/Amsterdam' };
	it('counts days where the activity is: a gathering at half past midnight is on the next day, not the UTC one', () => {
		// 23:30 UTC on the 22nd is 00:30 on the 23rd in Amsterdam.
		const gathering = { starts_at: '2026-11-22T23:30:00Z', status: 'scheduled' };
		expect(needIsAhead({ needed_on: null, gathering, activity: amsterdam }, '2026-11-23')).toBe(true);
		expect(needIsAhead({ needed_on: null, gathering, activity: amsterdam }, '2026-11-24')).toBe(false);
	});
	it('keeps today, drops what has passed or is cancelled, and keeps needs without a date', () => {
		const today = '2026-11-23';
		expect(needIsAhead({ needed_on: null, gathering: { starts_at: '2026-11-23T08:00:00Z', status: 'scheduled' }, activity: amsterdam }, today)).toBe(true);
		expect(needIsAhead({ needed_on: null, gathering: { starts_at: '2026-11-23T08:00:00Z', status: 'cancelled' }, activity: amsterdam }, today)).toBe(false);
		expect(needIsAhead({ needed_on: '2026-11-22', gathering: null, activity: amsterdam }, today)).toBe(false);
		expect(needIsAhead({ needed_on: '2026-11-23', gathering: null, activity: amsterdam }, today)).toBe(true);
		expect(needIsAhead({ needed_on: null, gathering: null, activity: amsterdam }, today)).toBe(true);
	});
});
