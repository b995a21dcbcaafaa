import { m } from '$lib/paraglide/messages';

/**
 * The errors the board's own forms (respond, slot, help) can come back with: their schemas in
 * lib/boards/board.ts, the board's refusals (lib/forms/refusals.ts), the checks in
 * routes/g/[id]/+page.server.ts, and the
 * address limit, and an outage's "try again". Kept apart from form-errors.ts so the board page — every newcomer's first
 * page — does not carry every form's messages in both languages (about 3 kB of its 50 kB
 * budget). Any other key shows the general message.
 */
export const boardFormErrors: Record<string, () => string> = {
	error_board_closed: m.error_board_closed,
	error_board_members_only: m.error_board_members_only,
	error_general_form: m.error_general_form,
	error_guests: m.error_guests,
	error_guests_brought: m.error_guests_brought,
	error_bring_not_coming: m.error_bring_not_coming,
	error_bring_full: m.error_bring_full,
	error_bring_name: m.error_bring_name,
	error_bring_name_too_long: m.error_bring_name_too_long,
	error_name_characters: m.error_name_characters,
	error_help_not_on_board: m.error_help_not_on_board,
	error_not_allowed: m.error_not_allowed,
	error_not_found: m.error_not_found,
	error_quantity: m.error_quantity,
	error_rate_limited: m.error_rate_limited,
	error_slot_full: m.error_slot_full,
	error_role_needs_place: m.error_role_needs_place,
	error_text_too_long: m.error_text_too_long,
	// An outage (outage-handle.ts): the form keeps what was entered and says to try again.
	error_try_again: m.error_try_again,
	// A body over the server's limit (too-large.ts): only a forged or pasted-in giant gets there.
	error_too_large: m.error_too_large
};

export function boardFormError(key: string | undefined): string | undefined {
	return key ? (boardFormErrors[key] ?? m.error_general_form)() : undefined;
}
