import { z } from 'zod';

/**
 * Schemas for what people type into forms. Error messages are message keys (see
 * src/lib/i18n/messages), so every edge shows the reason in the person's language.
 */
export const locales = ['nl', 'en'] as const;
export type Locale = (typeof locales)[number];

// Letters of any script, marks, spaces and a few signs; no markup, no control characters.
const displayName = z
	.string({ message: 'error_name_required' })
	.transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
	.pipe(
		z
			.string()
			.min(1, 'error_name_required')
			.max(40, 'error_name_too_long')
			.regex(/^[\p{L}\p{M}\p{N} .'’\-]+$/u, 'error_name_characters')
	);

export const joinFormSchema = z.object({
	display_name: displayName,
	lang: z.enum(locales, { message: 'error_language' })
});

export const profileFormSchema = z.object({
	display_name: displayName,
	lang: z.enum(locales, { message: 'error_language' })
});

export const emailFormSchema = z.object({
	email: z
		.string({ message: 'error_email' })
		.trim()
		.toLowerCase()
		.max(254, 'error_email')
		.pipe(z.email({ message: 'error_email' }))
});

export const uuidFormValue = z.uuid({ message: 'error_general_form' });

export const inviteFormSchema = z.object({
	target: z
		.string({ message: 'error_invite_target' })
		.regex(/^[0-9a-f-]{36}(\|[0-9a-f-]{36})?$/, 'error_invite_target')
		.transform((value) => {
			const [neighbourhoodId, activityId] = value.split('|');
			return { neighbourhoodId: neighbourhoodId!, activityId: activityId ?? null };
		}),
	label: z.string().trim().max(80, 'error_label_too_long').default(''),
	valid_days: z
		.enum(['', '7', '30', '90', '365'], { message: 'error_general_form' })
		.transform((v) => (v === '' ? null : Number(v)))
});

export type FieldErrors = Record<string, string>;

/** Parses form data; on failure, one message key per field. */
export function parseForm<T extends z.ZodType>(
	schema: T,
	form: FormData
): { ok: true; data: z.output<T> } | { ok: false; errors: FieldErrors; values: Record<string, string> } {
	const values: Record<string, string> = {};
	for (const [key, value] of form) if (typeof value === 'string') values[key] = value.slice(0, 1000);
	const result = schema.safeParse(values);
	if (result.success) return { ok: true, data: result.data };
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message.startsWith('error_') ? issue.message : 'error_general_form';
	}
	return { ok: false, errors, values };
}
