import type { HelpKind } from '$lib/activities/vocabulary';
import { m } from '$lib/paraglide/messages';

/**
 * How asking and offering help are said, and how much: only the forms and lists of signed-in
 * people and hosts use these, so the board a visitor loads carries just the kinds (./help.ts).
 */
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
