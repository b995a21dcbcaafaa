import { z } from 'zod';
import { displayNameSchema, locales } from '../forms/forms.ts';

/** A member's own profile and e-mail address. Error messages are message keys (src/lib/i18n/messages). */
export const profileFormSchema = z.object({
	display_name: displayNameSchema,
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
