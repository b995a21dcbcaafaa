import { m } from '$lib/paraglide/messages';
import { boardFormErrors } from '../boards/board-errors';

/** Form error keys (lib/forms/forms.ts) to their messages; listed so unused messages stay out of the page script. */
export const formErrors: Record<string, () => string> = {
	// The board's own (board-errors.ts), then every other form's.
	...boardFormErrors,
	error_name_required: m.error_name_required,
	error_name_too_long: m.error_name_too_long,
	error_name_characters: m.error_name_characters,
	error_language: m.error_language,
	error_email: m.error_email,
	error_email_taken: m.error_email_taken,
	error_invite_target: m.error_invite_target,
	error_label_too_long: m.error_label_too_long,
	error_text_characters: m.error_text_characters,
	error_delete_confirm: m.error_delete_confirm,
	error_invite_code: m.join_code_invalid,
	error_join_closed: m.error_join_closed,
	error_capacity: m.error_capacity,
	error_date: m.error_date,
	error_end_before_start: m.error_end_before_start,
	error_languages_required: m.error_languages_required,
	error_last_host: m.error_last_host,
	error_map_url: m.error_map_url,
	error_place_required: m.error_place_required,
	error_price: m.error_price,
	error_reason_required: m.error_reason_required,
	error_schedule_pattern: m.error_schedule_pattern,
	error_schedule_weekday: m.error_schedule_weekday,
	error_time: m.error_time,
	error_time_not_in_zone: m.error_time_not_in_zone,
	error_time_zone: m.error_time_zone,
	error_title_required: m.error_title_required,
	error_title_too_long: m.error_title_too_long,
	error_until_before_start: m.error_until_before_start,
	error_until_too_far: m.error_until_too_far,
	error_rating: m.error_rating,
	error_first_timer_places: m.error_first_timer_places,
	error_offer_kind: m.error_offer_kind,
	error_offer_neighbourhoods: m.error_offer_neighbourhoods,
	error_offer_minutes: m.error_offer_minutes,
	error_offer_terms: m.error_offer_terms,
	error_offer_handover: m.error_offer_handover,
	error_thanks_required: m.error_thanks_required,
	error_organisation_name: m.error_organisation_name,
	error_website: m.error_website,
	error_logo_url: m.error_logo_url,
	error_need_full: m.error_need_full,
	error_need_closed: m.error_need_closed,
	error_already_pledged: m.error_already_pledged,
	error_not_approved: m.error_not_approved,
	error_wrong_step: m.error_wrong_step,
	error_need_too_low: m.error_need_too_low
};

export function formError(key: string | undefined): string | undefined {
	return key ? (formErrors[key] ?? m.error_general_form)() : undefined;
}
