import type { HelpKind } from '$lib/domain/vocabulary';
import { m } from '$lib/paraglide/messages';

/** Practical help in words: the kind, and how asking and offering it are said. */
export const helpKindLabel: Record<HelpKind, () => string> = {
	door: m.help_kind_door,
	ride: m.help_kind_ride,
	childcare: m.help_kind_childcare
};
export const helpAskLabel: Record<HelpKind, () => string> = {
	door: m.help_ask_door,
	ride: m.help_ask_ride,
	childcare: m.help_ask_childcare
};
export const helpOfferLabel: Record<HelpKind, () => string> = {
	door: m.help_offer_door,
	ride: m.help_offer_ride,
	childcare: m.help_offer_childcare
};

/** " (for 3 people)" after a kind of help; nothing for one person at the door. */
export const helpAmountLabel = (kind: HelpKind, amount: number) => (kind === 'door' && amount === 1 ? '' : ` (${m.help_for({ count: amount })})`);
