import type { MaterialHandover, MaterialTerms, OfferFrequency, OfferKind } from '$lib/offers/offer-vocabulary';
import { m } from '$lib/paraglide/messages';

/** Offer vocabulary in words; the kind's icon never stands without its label. */
export { offerKindLabel, pledgeStatusLabel } from './need-labels';

export const offerKindHint: Record<OfferKind, () => string> = {
	hands: m.offer_kind_hint_hands,
	knowledge: m.offer_kind_hint_knowledge,
	materials: m.offer_kind_hint_materials
};
export const frequencyLabel: Record<OfferFrequency, () => string> = {
	once: m.offer_frequency_once,
	weekly: m.offer_frequency_weekly,
	monthly: m.offer_frequency_monthly,
	now_and_then: m.offer_frequency_now_and_then
};
export const termsLabel: Record<MaterialTerms, () => string> = { lend: m.offer_terms_lend, give: m.offer_terms_give };
export const handoverLabel: Record<MaterialHandover, () => string> = { pick_up: m.offer_handover_pick_up, delivered: m.offer_handover_delivered };
