import { fail, redirect } from '@sveltejs/kit';
import { parseForm, uuidFormValue, type FieldErrors } from '$lib/forms/forms';
import { emailFormSchema, profileFormSchema } from '$lib/account/schemas';
import {
	accountOverview,
	addEmail,
	deleteAccount,
	endSession,
	leaveNeighbourhood,
	makeReturnLink,
	stopReturnLinks,
	updateProfile
} from '$lib/account/account.server';
import { setLanguageCookie } from '$lib/server/language';
import { myGatheringContributions, myPlans } from '$lib/boards/boards.server';
import { makePersonalFeedLink, personalFeedLink, stopPersonalFeedLink } from '$lib/feeds/feeds.server';
import { myPledgeContributions } from '$lib/offers/offers.server';
import type { Actions, PageServerLoad } from './$types';
import { withPostRedirectGet } from '$lib/server/actions';

export const load: PageServerLoad = async ({ locals, request, url }) => {
	if (!locals.memberId) redirect(303, '/sign-in');
	const [overview, plans, contributions, feedLink, given] = await Promise.all([
		accountOverview(locals.db, locals.memberId, locals.sessionId, request.headers),
		myPlans(locals.db),
		myGatheringContributions(locals.db),
		personalFeedLink(locals.db, locals.memberId, url.origin),
		myPledgeContributions(locals.db)
	]);
	return { ...overview, plans, contributions, feedLink, given, returned: url.searchParams.has('returned'), emailConfirmed: url.searchParams.get('email') === 'confirmed' };
};

/** Every action needs a signed-in member; the database checks again (RLS). */
function memberOf(locals: App.Locals) {
	if (!locals.memberId) redirect(303, '/sign-in');
	return locals.memberId;
}

export const actions: Actions = withPostRedirectGet<Actions>({
	profile: async ({ request, locals, cookies }) => {
		const memberId = memberOf(locals);
		const parsed = parseForm(profileFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'profile', errors: parsed.errors, values: parsed.values });
		await updateProfile(locals.db, memberId, { display_name: parsed.data.display_name, locale: parsed.data.lang });
		setLanguageCookie(cookies, parsed.data.lang);
		return { action: 'profile', saved: true };
	},
	email: async ({ request, locals, getClientAddress }) => {
		const memberId = memberOf(locals);
		const parsed = parseForm(emailFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'email', errors: parsed.errors, values: parsed.values });
		const result = await addEmail(memberId, parsed.data.email, request.headers, getClientAddress());
		if (!result.ok) {
			const error = result.reason === 'taken' ? 'error_email_taken' : 'error_rate_limited';
			return fail(result.reason === 'taken' ? 409 : 429, { action: 'email', errors: { email: error } as FieldErrors });
		}
		return { action: 'email', sent: true };
	},
	returnLink: async ({ locals, url }) => {
		const memberId = memberOf(locals);
		return { action: 'returnLink', returnLink: await makeReturnLink(memberId, url.origin) };
	},
	stopReturnLink: async ({ locals }) => {
		const memberId = memberOf(locals);
		await stopReturnLinks(locals.db, memberId);
		return { action: 'stopReturnLink', stopped: true };
	},
	feedLink: async ({ locals }) => {
		const memberId = memberOf(locals);
		await makePersonalFeedLink(memberId);
		return { action: 'feedLink', made: true };
	},
	stopFeedLink: async ({ locals }) => {
		const memberId = memberOf(locals);
		await stopPersonalFeedLink(locals.db, memberId);
		return { action: 'stopFeedLink', stopped: true };
	},
	endSession: async ({ request, locals }) => {
		const memberId = memberOf(locals);
		const id = uuidFormValue.safeParse((await request.formData()).get('session'));
		if (!id.success || !(await endSession(request.headers, memberId, id.data))) {
			return fail(400, { action: 'endSession', errors: { form: 'error_general_form' } });
		}
		return { action: 'endSession', ended: true };
	},
	leave: async ({ request, locals }) => {
		const memberId = memberOf(locals);
		const id = uuidFormValue.safeParse((await request.formData()).get('neighbourhood'));
		if (!id.success || !(await leaveNeighbourhood(locals.db, memberId, id.data))) {
			return fail(400, { action: 'leave', errors: { form: 'error_general_form' } });
		}
		return { action: 'leave', left: true };
	},
	delete: async ({ request, locals }) => {
		const memberId = memberOf(locals);
		const confirmed = (await request.formData()).get('confirm') === 'yes';
		if (!confirmed) return fail(400, { action: 'delete', errors: { confirm: 'error_delete_confirm' } });
		await deleteAccount(memberId, request.headers);
		redirect(303, '/?deleted=1');
	}
}, ['returnLink']);
