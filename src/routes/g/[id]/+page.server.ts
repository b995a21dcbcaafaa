import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { parseForm, uuidFormValue, type FieldErrors } from '$lib/forms/forms';
import { cancelFormSchema, moveFormSchema } from '$lib/activities/schemas';
import { bringAlongFormSchema, feedbackFormSchema, respondFormSchema, slotFormSchema, takeOffBroughtFormSchema } from '$lib/boards/board';
import { helpFormSchema } from '$lib/help/schemas';
import { reminderFormSchema } from '$lib/reminders/schemas';
import { cancelGathering, DataError, gatheringPage, moveGathering, restoreGathering } from '$lib/activities/activities.server';
import { askOrOfferHelp, boardFor, bringAlong, listFeedback, leaveFeedback, pledgeToSlot, respond, takeOffBrought, whatLeavingGivesUp } from '$lib/boards/boards.server';
import { reminderState, remindMe } from '$lib/reminders/reminders.server';
import { gatheringNeeds } from '$lib/offers/offers.server';
import { withIdParam, withPostRedirectGet } from '$lib/server/actions';
import { refusalMessageKey, type BoardRefusal } from '$lib/forms/refusals';
import { joinHere } from '$lib/joining/join-here.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	try {
		const page = await gatheringPage(locals.db, params.id, locals.memberId);
		if (!page) error(404, m.error_not_found());
		// Every open board loads again after each change: the reads go out together.
		const [board, feedback, reminder, needs] = await Promise.all([
			boardFor(locals.db, params.id, locals.memberId, { runsIt: page.canRun }),
			locals.memberId ? listFeedback(locals.db, params.id, locals.memberId) : [],
			locals.memberId ? reminderState(locals.db, params.id) : null,
			gatheringNeeds(locals.db, page.gathering, locals.memberId)
		]);
		return { ...page, board, feedback, reminder, signedIn: Boolean(locals.memberId), memberId: locals.memberId, needs, welcome: url.searchParams.has('welcome') };
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};

const notAllowed = (action: string) => fail(403, { action, errors: { form: 'error_not_allowed' } as FieldErrors });

/** 404 for a gathering or slot that does not exist, 409 for a refusal on a real board. */
const refusalStatus = (refusal: BoardRefusal) => (refusal === 'not_found' ? 404 : 409);
const refusalMessage = (refusal: BoardRefusal) => refusalMessageKey(refusal, 'board');

export const actions: Actions = withPostRedirectGet(withIdParam<Actions>({
	/** A visitor joins the neighbourhood right here; "Ik kom" or "Misschien" tapped to join is then answered. */
	join: async (event) => {
		const form = await event.request.formData();
		const page = await gatheringPage(event.locals.db, event.params.id);
		if (!page) return fail(404, { action: 'join', errors: { form: 'error_not_found' } as FieldErrors });
		const joined = await joinHere(event, form, page.neighbourhood.id);
		if (!joined.ok) return joined.failure;
		const intent = respondFormSchema.shape.status.safeParse(form.get('status'));
		// A closed or full board answers as it would have anyway: the page shows where they stand.
		if (intent.success && intent.data !== 'not_going') await respond(joined.db, event.params.id, intent.data, 0);
		redirect(303, `/g/${event.params.id}?welcome=1`);
	},
	leaveFeedback: async ({ locals, params, request }) => {
		const parsed = parseForm(feedbackFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'leaveFeedback', errors: parsed.errors, values: parsed.values });
		if (!(await leaveFeedback(locals.db, params.id, parsed.data.rating, parsed.data.comment))) return notAllowed('leaveFeedback');
		return { action: 'leaveFeedback', done: true };
	},
	respond: async ({ locals, params, request }) => {
		if (!locals.memberId) return fail(401, { action: 'respond', errors: { form: 'error_board_members_only' } as FieldErrors });
		const parsed = parseForm(respondFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'respond', errors: parsed.errors, values: parsed.values });
		if (parsed.data.status === 'not_going' && !parsed.data.confirmed) {
			// Others count on what this person brings or does: ask first, change nothing yet.
			const givesUp = await whatLeavingGivesUp(locals.db, params.id, locals.memberId);
			if (givesUp.slots.length || givesUp.help || givesUp.brought.length) return { action: 'respond', confirmLeaving: givesUp };
		}
		const result = await respond(locals.db, params.id, parsed.data.status, parsed.data.guests);
		if (!result.ok) return fail(refusalStatus(result.refusal), { action: 'respond', errors: { form: refusalMessage(result.refusal) } as FieldErrors });
		return { action: 'respond', status: result.status };
	},
	/** Someone without a phone goes on the board under a first name, as one of one's guests. */
	bringAlong: async ({ locals, params, request }) => {
		if (!locals.memberId) return fail(401, { action: 'bringAlong', errors: { form: 'error_board_members_only' } as FieldErrors });
		const parsed = parseForm(bringAlongFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'bringAlong', errors: parsed.errors, values: parsed.values });
		const result = await bringAlong(locals.db, params.id, parsed.data.first_name);
		if (!result.ok) return fail(refusalStatus(result.refusal), { action: 'bringAlong', errors: { form: refusalMessage(result.refusal) } as FieldErrors, values: { first_name: parsed.data.first_name } });
		return { action: 'bringAlong', brought: parsed.data.first_name };
	},
	takeOffBrought: async ({ locals, params, request }) => {
		if (!locals.memberId) return fail(401, { action: 'takeOffBrought', errors: { form: 'error_board_members_only' } as FieldErrors });
		const parsed = parseForm(takeOffBroughtFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'takeOffBrought', errors: parsed.errors });
		const result = await takeOffBrought(locals.db, parsed.data.person);
		if (!result.ok) return fail(result.refusal === 'not_member' ? 403 : refusalStatus(result.refusal), { action: 'takeOffBrought', errors: { form: result.refusal === 'not_member' ? 'error_not_allowed' : refusalMessage(result.refusal) } as FieldErrors });
		return { action: 'takeOffBrought', done: true };
	},
	pledgeToSlot: async ({ locals, params, request }) => {
		if (!locals.memberId) return fail(401, { action: 'pledgeToSlot', errors: { form: 'error_board_members_only' } as FieldErrors });
		const parsed = parseForm(slotFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'pledgeToSlot', errors: parsed.errors, values: parsed.values });
		// A gathering that does not exist has no board (its summary does not parse): not found.
		const board = uuidFormValue.safeParse(params.id).success ? await boardFor(locals.db, params.id, null).catch(() => null) : null;
		if (!board) return fail(404, { action: 'pledgeToSlot', errors: { form: 'error_not_found' } as FieldErrors });
		if (!board.summary.slots.some((s) => s.id === parsed.data.slot)) {
			return fail(400, { action: 'pledgeToSlot', errors: { form: 'error_general_form' } as FieldErrors });
		}
		const result = await pledgeToSlot(locals.db, parsed.data.slot, parsed.data.quantity);
		if (!result.ok) {
			return fail(refusalStatus(result.refusal), {
				action: 'pledgeToSlot',
				errors: { form: refusalMessage(result.refusal) } as FieldErrors,
				left: result.left ?? null,
				slot: parsed.data.slot
			});
		}
		return { action: 'pledgeToSlot', done: true };
	},
	askOrOfferHelp: async ({ locals, params, request }) => {
		if (!locals.memberId) return fail(401, { action: 'askOrOfferHelp', errors: { form: 'error_board_members_only' } as FieldErrors });
		const parsed = parseForm(helpFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'askOrOfferHelp', errors: parsed.errors, values: parsed.values });
		const result = await askOrOfferHelp(locals.db, params.id, parsed.data);
		if (!result.ok) return fail(refusalStatus(result.refusal), { action: 'askOrOfferHelp', errors: { form: refusalMessage(result.refusal) } as FieldErrors, values: { side: parsed.data.side, note: parsed.data.note } });
		return { action: 'askOrOfferHelp', side: parsed.data.side, withdrawn: parsed.data.amount === 0, matched: result.matched };
	},
	remindMe: async ({ locals, params, request }) => {
		if (!locals.memberId) return fail(401, { action: 'remindMe', errors: { form: 'error_board_members_only' } as FieldErrors });
		const parsed = parseForm(reminderFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'remindMe', errors: parsed.errors, values: parsed.values });
		if (!(await remindMe(locals.db, params.id, locals.memberId, parsed.data.on === 'yes'))) return notAllowed('remindMe');
		return { action: 'remindMe', done: true };
	},
	cancel: async ({ locals, params, request }) => {
		const parsed = parseForm(cancelFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'cancel', errors: parsed.errors, values: parsed.values });
		if (!(await cancelGathering(locals.db, params.id, parsed.data.reason))) return notAllowed('cancel');
		return { action: 'cancel', done: true };
	},
	restore: async ({ locals, params }) => {
		if (!(await restoreGathering(locals.db, params.id))) return notAllowed('restore');
		return { action: 'restore', done: true };
	},
	move: async ({ locals, params, request }) => {
		const parsed = parseForm(moveFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'move', errors: parsed.errors, values: parsed.values });
		const page = await gatheringPage(locals.db, params.id);
		if (!page || !(await moveGathering(locals.db, params.id, parsed.data, page.activity.schedule_time_zone))) return notAllowed('move');
		return { action: 'move', done: true };
	}
}));
