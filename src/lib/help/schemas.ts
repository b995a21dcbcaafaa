import { z } from 'zod';
import { HELP_MAX_PEOPLE, HELP_MAX_PLACES, helpKinds } from '../activities/vocabulary.ts';

/**
 * Practical help on a board (board_help): counts per kind for everyone; every request and
 * offer with names for those who run it; for others only their own and their match's.
 */
export const boardHelpSchema = z.object({
	counts: z.array(z.object({ kind: z.enum(helpKinds), asked: z.number().int(), arranged: z.number().int(), offered: z.number().int() })),
	asks: z.array(
		z.object({
			member_id: z.uuid(),
			kind: z.enum(helpKinds),
			people: z.number().int(),
			note: z.string(),
			mine: z.boolean(),
			name: z.string(),
			helper: z.string().nullable(),
			helper_note: z.string().nullable(),
			helper_is_me: z.boolean()
		})
	),
	offers: z.array(
		z.object({ kind: z.enum(helpKinds), places: z.number().int(), used: z.number().int(), note: z.string(), mine: z.boolean(), name: z.string() })
	)
});
export type BoardHelp = z.infer<typeof boardHelpSchema>;

/** Ask for help or offer it; an amount of 0 withdraws. Bounds as in ask_or_offer_help. */
export const helpFormSchema = z
	.object({
		side: z.enum(['ask', 'offer'], { message: 'error_general_form' }),
		kind: z.enum(helpKinds, { message: 'error_general_form' }),
		amount: z.coerce.number({ message: 'error_quantity' }).int('error_quantity').min(0, 'error_quantity').max(HELP_MAX_PLACES, 'error_quantity'),
		note: z.string().trim().max(200, 'error_text_too_long').default('')
	})
	.refine((help) => help.side === 'offer' || help.amount <= HELP_MAX_PEOPLE, { message: 'error_quantity', path: ['amount'] });
