import { z } from 'zod';
import { nameCharacters, normaliseName } from '../forms/forms.ts';
import type { BoardHelp } from '../help/schemas.ts';

/** What anyone may know about a board: counts and slots, never names (board_summary). */
export const boardSummarySchema = z.object({
	gathering_id: z.uuid(),
	going: z.number().int(),
	people_going: z.number().int(),
	waitlist: z.number().int(),
	maybe: z.number().int(),
	capacity: z.number().int().nullable(),
	held_for_newcomers: z.number().int(),
	slots: z.array(
		z.object({
			id: z.uuid(),
			label: z.string(),
			kind: z.enum(['role', 'item']),
			quantity: z.number().int(),
			taken: z.number().int()
		})
	)
});
export type BoardSummary = z.infer<typeof boardSummarySchema>;

export const attendanceStatuses = ['going', 'waitlist', 'maybe', 'not_going'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];

export const respondFormSchema = z.object({
	status: z.enum(['going', 'maybe', 'not_going'], { message: 'error_general_form' }),
	guests: z.coerce.number({ message: 'error_guests' }).int('error_guests').min(0, 'error_guests').max(10, 'error_guests').default(0),
	/** "I can't come" from someone others count on is asked once more; this says it was. */
	confirmed: z.literal('yes', { message: 'error_general_form' }).optional()
});

export const slotFormSchema = z.object({
	slot: z.uuid({ message: 'error_general_form' }),
	quantity: z.coerce.number({ message: 'error_quantity' }).int('error_quantity').min(0, 'error_quantity').max(200, 'error_quantity')
});

/** Someone without a phone on the board under a first name, brought along by a member (bring_along). */
export interface BroughtPerson {
	id: string;
	name: string;
}

/** Putting someone without a phone on the board: a first name, as the joining form asks (said of them, not of you). */
export const bringAlongFormSchema = z.object({
	first_name: z
		.string({ message: 'error_bring_name' })
		.transform(normaliseName)
		.pipe(z.string().min(1, 'error_bring_name').max(40, 'error_bring_name_too_long').regex(nameCharacters, 'error_name_characters'))
});

/** Taking someone brought along off the board. */
export const takeOffBroughtFormSchema = z.object({ person: z.uuid({ message: 'error_general_form' }) });

/** A board as one viewer may see it (names only for people on it and those who run it). */
export interface BoardView {
	summary: BoardSummary;
	/** `brought`: people without a phone they put on the board (named guests, counted in `guests`). */
	people: { name: string | null; status: AttendanceStatus; guests: number; brought: BroughtPerson[]; firstTime: boolean; me: boolean }[];
	pledges: { slotId: string; name: string | null; quantity: number; me: boolean }[];
	/** One's own answer; `waitlistPlace` is one's number in the line (1 is next), null when not waiting. */
	mine: { status: AttendanceStatus; guests: number; promoted: boolean; demoted: boolean; waitlistPlace: number | null } | null;
	help: BoardHelp;
}

export const feedbackFormSchema = z.object({
	rating: z.coerce.number({ message: 'error_rating' }).int('error_rating').min(1, 'error_rating').max(3, 'error_rating'),
	comment: z.string().trim().max(500, 'error_text_too_long').default('')
});

/** A host's thanks to someone who took a slot (empty takes it back). */
export const helperThanksFormSchema = z.object({
	pledge: z.uuid({ message: 'error_general_form' }),
	thanks: z.string().trim().max(300, 'error_text_too_long').default('')
});
