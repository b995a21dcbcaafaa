import { z } from 'zod';
import type { NeedForm, OfferForm } from './offers.ts';
import { materialHandovers, materialTerms, offerFrequencies, offerKinds, pledgeStatuses } from './offer-vocabulary.ts';
import { refusalOf as refusalOfRules, type OfferRefusal } from '../forms/refusals.ts';
import { DataError, unwrap, type DataClient } from '../server/db/client.ts';

/** Offers, needs and pledges through supabase-js: rules that must hold under concurrency live in SQL. */

const kind = z.enum(offerKinds);
const status = z.enum(pledgeStatuses);

export type { OfferRefusal };

const refusalOf = (error: { code?: string; hint?: string }) => refusalOfRules(error, 'offer');

// Needs ---------------------------------------------------------------------------------------

const needSchema = z.object({
	id: z.uuid(),
	activity_id: z.uuid(),
	neighbourhood_id: z.uuid(),
	gathering_id: z.uuid().nullable(),
	slot_id: z.uuid().nullable(),
	kind,
	title: z.string(),
	details: z.string(),
	quantity: z.number().int(),
	pledged: z.number().int(),
	pledge_answers: z.number().int(),
	languages: z.array(z.string()),
	needed_on: z.string().nullable(),
	status: z.enum(['open', 'closed']),
	created_at: z.string(),
	activity: z.object({ title: z.string(), schedule_time_zone: z.string() }),
	gathering: z.object({ starts_at: z.string(), status: z.enum(['scheduled', 'cancelled']) }).nullable()
});
export type Need = z.infer<typeof needSchema>;
const needColumns =
	'id, activity_id, neighbourhood_id, gathering_id, slot_id, kind, title, details, quantity, pledged, pledge_answers, languages, needed_on, status, created_at, activity(title, schedule_time_zone), gathering(starts_at, status)';

export async function listNeeds(
	db: DataClient,
	filter: { neighbourhoodId?: string; gatheringId?: string; activityId?: string; ids?: string[]; openOnly?: boolean }
): Promise<Need[]> {
	let query = db.from('need').select(needColumns);
	if (filter.neighbourhoodId) query = query.eq('neighbourhood_id', filter.neighbourhoodId);
	if (filter.gatheringId) query = query.eq('gathering_id', filter.gatheringId);
	if (filter.activityId) query = query.eq('activity_id', filter.activityId);
	if (filter.ids) query = query.in('id', filter.ids);
	if (filter.openOnly) query = query.eq('status', 'open');
	return z.array(needSchema).parse(unwrap('listNeeds', await query.order('created_at', { ascending: false }).limit(300)));
}

export async function getNeed(db: DataClient, id: string): Promise<Need | null> {
	return (await listNeeds(db, { ids: [id] }))[0] ?? null;
}

/** Posts a need; null if this person does not run the activity. */
export async function createNeed(db: DataClient, memberId: string, form: NeedForm): Promise<Need | null> {
	const result = await db
		.from('need')
		.insert({
			activity_id: form.activity,
			gathering_id: form.gathering,
			slot_id: form.slot,
			kind: form.kind,
			title: form.title,
			details: form.details,
			quantity: form.quantity,
			languages: form.languages,
			needed_on: form.needed_on,
			created_by: memberId
		})
		.select(needColumns);
	if (result.error?.code === '42501' || result.error?.code === '23514') return null;
	const rows = unwrap('createNeed', result);
	return needSchema.parse(rows[0]);
}

/** Closes or reopens a need, or changes how many are needed (never below what is pledged). */
export async function changeNeed(
	db: DataClient,
	id: string,
	changes: { status?: 'open' | 'closed'; quantity?: number }
): Promise<{ ok: true; need: Need } | { ok: false; refusal: OfferRefusal }> {
	const result = await db.from('need').update(changes).eq('id', id).select(needColumns);
	if (result.error) {
		const refusal = refusalOf(result.error);
		if (refusal) return { ok: false, refusal };
		throw new DataError('changeNeed', result.error.code, result.error.message);
	}
	if (!result.data?.length) return { ok: false, refusal: 'not_allowed' };
	return { ok: true, need: needSchema.parse(result.data[0]) };
}

// Pledges --------------------------------------------------------------------------------------

const pledgeSchema = z.object({
	id: z.uuid(),
	need_id: z.uuid(),
	member_id: z.uuid().nullable(),
	giver_name: z.string().nullable(),
	organisation_id: z.uuid().nullable(),
	organisation_name: z.string().nullable(),
	offer_id: z.uuid().nullable(),
	quantity: z.number().int(),
	status,
	message: z.string(),
	thanks: z.string().nullable(),
	created_at: z.string()
});
export type PledgeRow = z.infer<typeof pledgeSchema>;

/** Pledges on these needs that the person behind `db` may see (as giver or host). */
export async function visiblePledges(db: DataClient, needIds: string[]): Promise<PledgeRow[]> {
	if (needIds.length === 0) return [];
	const result = await db.rpc('visible_pledges', { p_needs: needIds });
	if (result.error?.code === '42501') return [];
	return z.array(pledgeSchema).parse(unwrap('visiblePledges', result));
}

const contactSchema = z.object({ pledge_id: z.uuid(), side: z.enum(['giver', 'host']), contact: z.string() });
export type PledgeContact = z.infer<typeof contactSchema>;

/** Contact shared on pledges, as far as RLS shows it (the other side's only once accepted). */
export async function pledgeContacts(db: DataClient, pledgeIds: string[]): Promise<PledgeContact[]> {
	if (pledgeIds.length === 0) return [];
	const result = await db.from('pledge_contact').select('pledge_id, side, contact').in('pledge_id', pledgeIds);
	if (result.error?.code === '42501') return [];
	return z.array(contactSchema).parse(unwrap('pledgeContacts', result));
}

export async function pledgeToNeed(
	db: DataClient,
	input: { need: string; quantity: number; organisation: string | null; offer: string | null; message: string; contact: string }
): Promise<{ ok: true; id: string } | { ok: false; refusal: OfferRefusal; left?: number }> {
	const { data, error } = await db.rpc('pledge_to_need', {
		p_need: input.need,
		p_quantity: input.quantity,
		p_organisation: input.organisation,
		p_offer: input.offer,
		p_message: input.message,
		p_contact: input.contact
	});
	if (error) {
		const refusal = refusalOf(error);
		if (refusal) return { ok: false, refusal, left: error.details ? Number(error.details) : undefined };
		throw new DataError('pledgeToNeed', error.code, error.message);
	}
	return { ok: true, id: z.uuid().parse(data) };
}

const stepResultSchema = z.object({ status, need_id: z.uuid(), gathering_id: z.uuid().nullable(), neighbourhood_id: z.uuid() });
export type PledgeStepResult = z.infer<typeof stepResultSchema>;

export async function setPledgeStatus(
	db: DataClient,
	pledgeId: string,
	step: Exclude<z.infer<typeof status>, 'offered'>,
	contact = ''
): Promise<({ ok: true } & PledgeStepResult) | { ok: false; refusal: OfferRefusal }> {
	const { data, error } = await db.rpc('set_pledge_status', { p_pledge: pledgeId, p_status: step, p_contact: contact });
	if (error) {
		if (error.code === 'P0002') return { ok: false, refusal: 'not_allowed' };
		const refusal = refusalOf(error);
		if (refusal) return { ok: false, refusal };
		throw new DataError('setPledgeStatus', error.code, error.message);
	}
	return { ok: true, ...stepResultSchema.parse(data) };
}

export async function thankPledge(db: DataClient, pledgeId: string, thanks: string): Promise<{ ok: true } | { ok: false; refusal: OfferRefusal }> {
	const { error } = await db.rpc('thank_pledge', { p_pledge: pledgeId, p_thanks: thanks });
	if (error) {
		const refusal = refusalOf(error);
		if (refusal) return { ok: false, refusal };
		throw new DataError('thankPledge', error.code, error.message);
	}
	return { ok: true };
}

const myPledgeSchema = z.object({
	id: z.uuid(),
	need_id: z.uuid(),
	organisation_id: z.uuid().nullable(),
	quantity: z.number().int(),
	status,
	thanks: z.string().nullable(),
	need: z.object({ title: z.string(), kind, activity_id: z.uuid(), gathering_id: z.uuid().nullable(), neighbourhood_id: z.uuid() })
});
export type MyPledge = z.infer<typeof myPledgeSchema>;

/** Pledges the member made, on their own or for an organisation they act for. */
export async function myPledges(db: DataClient): Promise<MyPledge[]> {
	const result = await db
		.from('pledge')
		.select('id, need_id, organisation_id, quantity, status, thanks, need(title, kind, activity_id, gathering_id, neighbourhood_id)')
		.order('created_at', { ascending: false })
		.limit(100);
	if (result.error?.code === '42501') return [];
	return z.array(myPledgeSchema).parse(unwrap('myPledges', result));
}

// Offers -----------------------------------------------------------------------------------------

const offerSchema = z.object({
	id: z.uuid(),
	kind,
	title: z.string(),
	details: z.string(),
	quantity: z.number().int(),
	hands_when: z.string(),
	hands_minutes: z.number().int().nullable(),
	hands_frequency: z.enum(offerFrequencies).nullable(),
	languages: z.array(z.string()),
	terms: z.enum(materialTerms).nullable(),
	handover: z.enum(materialHandovers).nullable(),
	available_from: z.string(),
	available_until: z.string().nullable(),
	member_id: z.uuid().nullable(),
	organisation_id: z.uuid().nullable()
});
export type Offer = z.infer<typeof offerSchema>;
const shownOfferSchema = offerSchema.extend({ giver_name: z.string().nullable(), organisation_name: z.string().nullable() });
export type ShownOffer = z.infer<typeof shownOfferSchema>;
const ownOfferSchema = offerSchema.extend({
	status: z.enum(['active', 'paused', 'withdrawn']),
	offer_neighbourhood: z.array(z.object({ neighbourhood_id: z.uuid() }))
});
export type OwnOffer = z.infer<typeof ownOfferSchema>;
const offerColumns =
	'id, kind, title, details, quantity, hands_when, hands_minutes, hands_frequency, languages, terms, handover, available_from, available_until, member_id, organisation_id';

/** Active offers shown in a neighbourhood, for its members (empty for anyone else). */
export async function offersIn(db: DataClient, neighbourhoodId: string): Promise<ShownOffer[]> {
	const result = await db.rpc('offers_in', { p_neighbourhood: neighbourhoodId });
	if (result.error?.code === '42501') return [];
	return z.array(shownOfferSchema).parse(unwrap('offersIn', result));
}

/** Offers the member gives, on their own or for their organisations (any status). */
export async function ownOffers(db: DataClient, memberId: string, organisationIds: string[]): Promise<OwnOffer[]> {
	const givers = [`member_id.eq.${memberId}`, ...(organisationIds.length ? [`organisation_id.in.(${organisationIds.join(',')})`] : [])];
	const result = await db
		.from('offer')
		.select(`${offerColumns}, status, offer_neighbourhood(neighbourhood_id)`)
		.or(givers.join(','))
		.neq('status', 'withdrawn')
		.order('created_at', { ascending: false });
	return z.array(ownOfferSchema).parse(unwrap('ownOffers', result));
}

export async function getOwnOffer(db: DataClient, id: string): Promise<OwnOffer | null> {
	const rows = unwrap('getOwnOffer', await db.from('offer').select(`${offerColumns}, status, offer_neighbourhood(neighbourhood_id)`).eq('id', id));
	return rows.length ? ownOfferSchema.parse(rows[0]) : null;
}

export async function saveOffer(
	db: DataClient,
	id: string | null,
	form: OfferForm
): Promise<{ ok: true; id: string } | { ok: false; refusal: OfferRefusal }> {
	const { data, error } = await db.rpc('save_offer', {
		p_id: id,
		p_organisation: form.organisation,
		p_kind: form.kind,
		p_title: form.title,
		p_details: form.details,
		p_quantity: form.quantity,
		p_hands_when: form.hands_when,
		p_hands_minutes: form.hands_minutes,
		p_hands_frequency: form.hands_frequency,
		p_languages: form.languages,
		p_terms: form.terms,
		p_handover: form.handover,
		p_available_from: form.available_from,
		p_available_until: form.available_until,
		p_neighbourhoods: form.neighbourhoods
	});
	if (error) {
		const refusal = refusalOf(error);
		if (refusal) return { ok: false, refusal };
		throw new DataError('saveOffer', error.code, error.message);
	}
	return { ok: true, id: z.uuid().parse(data) };
}

/** Pauses, resumes or withdraws an offer; false if this person is not its giver. */
export async function setOfferStatus(db: DataClient, id: string, status: 'active' | 'paused' | 'withdrawn'): Promise<boolean> {
	const result = await db.from('offer').update({ status }).eq('id', id).select('id');
	if (result.error) throw new DataError('setOfferStatus', result.error.code, result.error.message);
	return (result.data ?? []).length === 1;
}

const suggestionSchema = z.object({
	offer_id: z.uuid(),
	title: z.string(),
	quantity: z.number().int(),
	giver_name: z.string().nullable(),
	organisation_id: z.uuid().nullable(),
	organisation_name: z.string().nullable(),
	available_until: z.string().nullable(),
	invited: z.boolean()
});
export type Suggestion = z.infer<typeof suggestionSchema>;

/** Offers that fit a need (for those who run it; empty for anyone else). */
export async function suggestedOffers(db: DataClient, needId: string): Promise<Suggestion[]> {
	const result = await db.rpc('suggested_offers', { p_need: needId });
	if (result.error?.code === '42501') return [];
	return z.array(suggestionSchema).parse(unwrap('suggestedOffers', result));
}

export async function inviteOffer(db: DataClient, needId: string, offerId: string): Promise<boolean> {
	const { error } = await db.rpc('invite_offer', { p_need: needId, p_offer: offerId });
	if (error?.code === '42501') return false;
	if (error) throw new DataError('inviteOffer', error.code, error.message);
	return true;
}

const invitationSchema = z.object({
	need_id: z.uuid(),
	offer_id: z.uuid(),
	created_at: z.string(),
	need: z.object({ title: z.string(), kind, quantity: z.number().int(), pledged: z.number().int(), status: z.enum(['open', 'closed']), neighbourhood_id: z.uuid() })
});
export type Invitation = z.infer<typeof invitationSchema>;

/** Invitations to the offers the member gives (RLS: givers and those who run the need). */
export async function invitationsFor(db: DataClient, offerIds: string[]): Promise<Invitation[]> {
	if (offerIds.length === 0) return [];
	const result = await db
		.from('need_invitation')
		.select('need_id, offer_id, created_at, need(title, kind, quantity, pledged, status, neighbourhood_id)')
		.in('offer_id', offerIds);
	return z.array(invitationSchema).parse(unwrap('invitationsFor', result));
}

const contributionSchema = z.object({
	kind,
	title: z.string(),
	activity_title: z.string(),
	times: z.number().int(),
	quantity: z.number().int(),
	last_thanks: z.string().nullable()
});

/** What the member gave through delivered pledges, with the latest thanks. */
export async function myPledgeContributions(db: DataClient) {
	return z.array(contributionSchema).parse(unwrap('myPledgeContributions', await db.rpc('my_pledge_contributions')));
}
