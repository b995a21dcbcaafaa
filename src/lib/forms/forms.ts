import { z } from 'zod';

/**
 * What every form shares: parsing a form into a schema's shape, with the errors filed under its
 * fields. Each feature keeps its own schemas (`<feature>/schemas.ts`). Error messages are message keys (see
 * src/lib/i18n/messages), so every edge shows the reason in the person's language.
 */
export const locales = ['nl', 'en'] as const;
export type Locale = (typeof locales)[number];

// Letters of any script, marks, spaces and a few signs; no markup, no control characters.
export const nameCharacters = /^[\p{L}\p{M}\p{N} .'’\-]+$/u;
/** A name as typed, in one form: composed characters, single spaces, no spaces around it. */
export const normaliseName = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
export const displayNameSchema = z
	.string({ message: 'error_name_required' })
	.transform(normaliseName)
	.pipe(z.string().min(1, 'error_name_required').max(40, 'error_name_too_long').regex(nameCharacters, 'error_name_characters'));

export const uuidFormValue = z.uuid({ message: 'error_general_form' });

export type FieldErrors = Record<string, string>;

/** Form fields that may repeat (checkbox groups); they parse as arrays. */
const repeatable = new Set(['languages', 'neighbourhoods']);

/** The fields an object schema knows (through refinements and transforms), or null when it cannot tell. */
function knownFields(schema: z.ZodType): Set<string> | null {
	if (schema instanceof z.ZodObject) return new Set(Object.keys(schema.shape));
	if (schema instanceof z.ZodPipe) return knownFields(schema.in as z.ZodType);
	return null;
}

/**
 * Parses form data; on failure, one message key per field, and the values as typed. Fields the
 * schema does not know are ignored (zod would drop them): an error under a name the form does
 * not show would leave a person without JavaScript with no message at all.
 */
export function parseForm<T extends z.ZodType>(
	schema: T,
	form: FormData
): { ok: true; data: z.output<T> } | { ok: false; errors: FieldErrors; values: Record<string, string> } {
	const values: Record<string, string> = {};
	const input: Record<string, string | string[]> = {};
	const unstorable: FieldErrors = {};
	const known = knownFields(schema);
	for (const [key, value] of form) {
		if (typeof value !== 'string' || (known && !known.has(key))) continue;
		// NUL and lone surrogates cannot be stored in PostgreSQL text (the Data API answers 500).
		if (value.includes('\u0000') || !value.isWellFormed()) unstorable[key] ??= 'error_text_characters';
		// Cut without splitting a character in two (a lone half cannot be stored either).
		const text = value.slice(0, 5000).toWellFormed();
		if (repeatable.has(key)) {
			input[key] = [...((input[key] as string[] | undefined) ?? []), text].slice(0, 20);
			values[key] = (input[key] as string[]).join(',');
		} else {
			input[key] = text;
			values[key] = text;
		}
	}
	const result = schema.safeParse(input);
	if (result.success && Object.keys(unstorable).length === 0) return { ok: true, data: result.data };
	const errors: FieldErrors = { ...unstorable };
	for (const issue of result.error?.issues ?? []) {
		const field = issue.path[0] === undefined || (known && !known.has(String(issue.path[0]))) ? 'form' : String(issue.path[0]);
		errors[field] ??= issue.message.startsWith('error_') ? issue.message : 'error_general_form';
	}
	return { ok: false, errors, values };
}

/** A checkbox as a browser sends it (present, or not at all). */
export const formCheckbox = z.preprocess((v) => v === 'on' || v === 'true', z.boolean());
/** Optional text, trimmed, at most `max` characters. */
export const formText = (max: number, key: string) => z.string().trim().max(max, key).default('');
