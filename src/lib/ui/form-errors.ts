import { m } from '$lib/paraglide/messages';

/** Form error keys (lib/domain/forms.ts) to their messages; listed so unused messages stay out of the page script. */
export const formErrors: Record<string, () => string> = {
	error_name_required: m.error_name_required,
	error_name_too_long: m.error_name_too_long,
	error_name_characters: m.error_name_characters,
	error_language: m.error_language,
	error_email: m.error_email,
	error_email_taken: m.error_email_taken,
	error_invite_target: m.error_invite_target,
	error_label_too_long: m.error_label_too_long,
	error_general_form: m.error_general_form,
	error_rate_limited: m.error_rate_limited,
	error_delete_confirm: m.error_delete_confirm,
	error_invite_code: m.join_code_invalid
};

export function formError(key: string | undefined): string | undefined {
	return key ? (formErrors[key] ?? m.error_general_form)() : undefined;
}
