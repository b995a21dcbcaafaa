/**
 * The vocabulary of offers, needs and pledges, without any library: page scripts import this
 * (never zod).
 */
export const offerKinds = ['hands', 'knowledge', 'materials'] as const;
export type OfferKind = (typeof offerKinds)[number];

export const offerFrequencies = ['once', 'weekly', 'monthly', 'now_and_then'] as const;
export type OfferFrequency = (typeof offerFrequencies)[number];

export const materialTerms = ['lend', 'give'] as const;
export type MaterialTerms = (typeof materialTerms)[number];

export const materialHandovers = ['pick_up', 'delivered'] as const;
export type MaterialHandover = (typeof materialHandovers)[number];

export const offerStatuses = ['active', 'paused', 'withdrawn'] as const;
export type OfferStatus = (typeof offerStatuses)[number];

export const pledgeStatuses = ['offered', 'accepted', 'delivered', 'declined', 'withdrawn'] as const;
export type PledgeStatus = (typeof pledgeStatuses)[number];

/** Pledges that hold part of a need's quantity. */
export const holdingStatuses: readonly PledgeStatus[] = ['offered', 'accepted', 'delivered'];

/** A board slot's kind maps to the kind of help it asks for. */
export function kindForSlot(slotKind: 'role' | 'item'): OfferKind {
	return slotKind === 'role' ? 'hands' : 'materials';
}
