import type { PageLoad } from './$types';

/**
 * Parts only some viewers see load only for them, so the others never download them (the
 * board page's JavaScript budget): the forms for signed-in people (a visitor is invited to
 * join instead), the hosts' tools for those who run the activity, the reminder switch for
 * those on the board, the feedback form for those who came once the gathering has begun, the
 * join form for visitors and the welcome for who just joined.
 * Loaded here rather than in the page so the server renders them too and they work without
 * JavaScript.
 */
export const load: PageLoad = async ({ data }) => {
	const givesFeedback = data.board.mine?.status === 'going' && Date.parse(data.gathering.starts_at) <= Date.now();
	// On the board, for a date still planned; switching it on only while the day before is ahead.
	const offersReminder =
		data.reminder !== null &&
		data.gathering.status === 'scheduled' &&
		data.board.mine !== null &&
		data.board.mine.status !== 'not_going' &&
		(data.reminder.on || Date.parse(data.gathering.starts_at) - Date.now() > 24 * 3600_000);
	// A visitor, or someone signed in from another neighbourhood, joins right on the board while
	// its neighbourhood is open for it (else: a code); the board's forms are for its members.
	const joinsHere = !data.memberHere && data.neighbourhood.open_for_joining && data.gathering.status === 'scheduled';
	const [members, host, reminder, feedback, needs, joinHere, welcome] = await Promise.all([
		data.memberHere ? import('./member') : null,
		data.canRun ? import('./host') : null,
		offersReminder ? import('./ReminderToggle.svelte') : null,
		givesFeedback ? import('./GatheringFeedback.svelte') : null,
		data.needs.length || data.canRun ? import('./needs') : null,
		joinsHere ? import('$lib/joining/JoinHere.svelte') : null,
		data.welcome && data.signedIn ? import('$lib/joining/Welcome.svelte') : null
	]);
	return {
		...data,
		members,
		host,
		ReminderToggle: reminder?.default ?? null,
		FeedbackForm: feedback?.default ?? null,
		needsPart: needs,
		JoinHere: joinHere?.default ?? null,
		Welcome: welcome?.default ?? null
	};
};
