import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { parseForm, uuidFormValue, type FieldErrors } from '$lib/forms/forms';
import { ideaFormSchema } from '$lib/ideas/schemas';
import { neighbourhoodAndMembership } from '$lib/agenda/agenda.server';
import { ideasOverview, proposeIdea, toggleInterest } from '$lib/ideas/ideas.server';
import { joinHere } from '$lib/joining/join-here.server';
import type { Actions, PageServerLoad } from './$types';
import { withPostRedirectGet } from '$lib/server/actions';

async function neighbourhoodOf(locals: App.Locals, slug: string) {
	const found = await neighbourhoodAndMembership(locals.db, slug, locals.memberId);
	if (!found) error(404, m.error_not_found());
	return found;
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { neighbourhood, member } = await neighbourhoodOf(locals, params.slug);
	return {
		neighbourhood,
		member,
		signedIn: Boolean(locals.memberId),
		welcome: member && url.searchParams.has('welcome'),
		ideas: await ideasOverview(locals.db, neighbourhood.id, locals.memberId)
	};
};

export const actions: Actions = withPostRedirectGet<Actions>({
	/** A visitor joins the neighbourhood right here, and stays with its ideas. */
	join: async (event) => {
		const form = await event.request.formData();
		const { neighbourhood } = await neighbourhoodOf(event.locals, event.params.slug);
		const joined = await joinHere(event, form, neighbourhood.id);
		if (!joined.ok) return joined.failure;
		redirect(303, `/n/${neighbourhood.slug}/ideas?welcome=1`);
	},
	propose: async ({ locals, params, request }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const { neighbourhood } = await neighbourhoodOf(locals, params.slug);
		const parsed = parseForm(ideaFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'propose', errors: parsed.errors, values: parsed.values });
		if (!(await proposeIdea(locals.db, locals.memberId, neighbourhood.id, parsed.data))) {
			return fail(403, { action: 'propose', errors: { form: 'error_not_allowed' } as FieldErrors, values: parsed.data as Record<string, string> });
		}
		return { action: 'propose', done: true };
	},
	interest: async ({ locals, request }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const form = await request.formData();
		const idea = uuidFormValue.safeParse(form.get('idea'));
		const kind = form.get('kind');
		if (!idea.success || (kind !== 'join' && kind !== 'host')) return fail(400, { action: 'interest', errors: { form: 'error_general_form' } as FieldErrors });
		await toggleInterest(locals.db, locals.memberId, idea.data, kind);
		return { action: 'interest', done: true };
	}
});
