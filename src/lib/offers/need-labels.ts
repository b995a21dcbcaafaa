import type { OfferKind, PledgeStatus } from '$lib/offers/offer-vocabulary';
import { m } from '$lib/paraglide/messages';

/**
 * What a need shows in words: its kind and the state of a pledge. Apart from offer-labels.ts
 * so that the board page, which lists a gathering's needs, does not carry the offer forms'
 * words too.
 */
export const offerKindLabel: Record<OfferKind, () => string> = {
	hands: m.offer_kind_hands,
	knowledge: m.offer_kind_knowledge,
	materials: m.offer_kind_materials
};
export const pledgeStatusLabel: Record<PledgeStatus, () => string> = {
	offered: m.offer_pledge_status_offered,
	accepted: m.offer_pledge_status_accepted,
	delivered: m.offer_pledge_status_delivered,
	declined: m.offer_pledge_status_declined,
	withdrawn: m.offer_pledge_status_withdrawn
};
