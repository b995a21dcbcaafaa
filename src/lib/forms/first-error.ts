/*
 * Apart from form-errors.ts, which lists every form's messages in both languages: the board
 * page (every newcomer's first page) needs only this, not those messages (about 3 kB).
 */

/**
 * The form's own message, or else the first field's: a refusal of a field the page has no
 * place for (a tampered hidden field, a missing radio choice) still shows.
 */
export function firstError(errors: Record<string, string> | undefined): string | undefined {
	return errors ? (errors.form ?? Object.values(errors)[0]) : undefined;
}
