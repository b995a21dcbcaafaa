import { z } from 'zod';
import { displayNameSchema, locales } from '../forms/forms.ts';

/** What people type to join a neighbourhood and to make an invite. Error messages are message keys (src/lib/i18n/messages). */
export const joinFormSchema = z.object({
	display_name: displayNameSchema,
	lang: z.enum(locales, { message: 'error_language' })
});

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
