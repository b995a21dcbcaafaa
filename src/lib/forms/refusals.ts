/**
 * The one vocabulary of refusals: what a rule in SQL says no with, the name the app gives it,
 * and the message key a form shows. SQL functions refuse with `raise … using errcode =
 * 'P0001', hint = '<refusal>'` (the hint is the refusal's name), or with a standard code
 * (42501 not permitted, P0002 not found, 23514 a check failed). Nothing else maps them.
 * Pure: no imports, so pages and the server share it.
 */

/** The refusals of a board's rules (a gathering: respond, pledge_to_slot, ask_or_offer_help, bring_along). */
export const boardRefusals = ['closed', 'guests', 'not_coming', 'full', 'brought', 'not_member', 'slot_full', 'role_needs_place', 'quantity', 'not_on_board', 'text_too_long', 'invalid', 'not_found'] as const;

/** The refusals of an offer's rules (offers, needs, pledges: save_offer, pledge_to_need, set_pledge_status, …). */
export const offerRefusals = ['not_allowed', 'closed', 'quantity', 'need_full', 'already_pledged', 'not_approved', 'wrong_step', 'neighbourhoods', 'too_low', 'not_found'] as const;

export type BoardRefusal = (typeof boardRefusals)[number];
export type OfferRefusal = (typeof offerRefusals)[number];
/** Every refusal, by name. */
export type Refusal = BoardRefusal | OfferRefusal;

/** Which rules refused: a board's or an offer's. */
export type RefusalRules = 'board' | 'offer';
type RefusalOf<R extends RefusalRules> = R extends 'board' ? BoardRefusal : OfferRefusal;

/**
 * Standard codes that are refusals rather than failures. 42501 (not permitted): a board's
 * functions raise it only for someone who is not signed in or not a member of the
 * neighbourhood, so on a board it is `not_member`; an offer's functions raise it for anyone
 * acting for what is not theirs, `not_allowed`. 23514 is the check on a need's `pledged`,
 * met when a host lowers the quantity below what is pledged. P0002 (no such row) and 22P02
 * (an id that is no UUID at all) are a stale or forged link.
 */
const byCode: { [R in RefusalRules]: Record<string, RefusalOf<R>> } = {
	board: { '42501': 'not_member', P0002: 'not_found', '22P02': 'not_found' },
	offer: { '42501': 'not_allowed', '23514': 'too_low', P0002: 'not_found', '22P02': 'not_found' }
};

/** The refusal an error from a SQL function stands for, or null when it is a failure, not a refusal. */
export function refusalOf<R extends RefusalRules>(error: { code?: string; hint?: string }, rules: R): RefusalOf<R> | null {
	const byItsCode = byCode[rules][error.code ?? ''];
	if (byItsCode) return byItsCode as RefusalOf<R>;
	if (error.code === 'P0001' && error.hint) return error.hint as RefusalOf<R>;
	return null;
}

/**
 * The message key each refusal shows (in the message files, src/lib/i18n/messages/). `closed`
 * is about a gathering on a board and about a need on a need's page.
 */
const messageKeys: Record<Refusal, string | Record<RefusalRules, string>> = {
	closed: { board: 'error_board_closed', offer: 'error_need_closed' },
	guests: 'error_guests',
	not_coming: 'error_bring_not_coming',
	full: 'error_bring_full',
	brought: 'error_guests_brought',
	not_member: 'error_board_members_only',
	slot_full: 'error_slot_full',
	role_needs_place: 'error_role_needs_place',
	quantity: 'error_quantity',
	not_on_board: 'error_help_not_on_board',
	text_too_long: 'error_text_too_long',
	invalid: 'error_general_form',
	not_allowed: 'error_not_allowed',
	need_full: 'error_need_full',
	already_pledged: 'error_already_pledged',
	not_approved: 'error_not_approved',
	wrong_step: 'error_wrong_step',
	neighbourhoods: 'error_offer_neighbourhoods',
	too_low: 'error_need_too_low',
	not_found: 'error_not_found'
};

/** The message key a form shows for a refusal; the general message for a name it does not know. */
export function refusalMessageKey(refusal: string, rules: RefusalRules): string {
	const key = Object.hasOwn(messageKeys, refusal) ? messageKeys[refusal as Refusal] : undefined;
	if (key === undefined) return 'error_general_form';
	return typeof key === 'string' ? key : key[rules];
}
