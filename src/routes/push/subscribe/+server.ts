import { json } from '@sveltejs/kit';
import { pushSubscriptionSchema } from '$lib/reminders/push';
import { subscribeDevice } from '$lib/reminders/reminders.server';
import type { RequestHandler } from './$types';

/** A device turns on notifications: its browser's push subscription, for the signed-in member. */
export const POST: RequestHandler = async ({ locals, request }) => {
	if (!locals.memberId) return json({ ok: false, error: 'sign_in' }, { status: 401 });
	const parsed = pushSubscriptionSchema.safeParse(await request.json().catch(() => null));
	if (!parsed.success) return json({ ok: false, error: 'invalid' }, { status: 400 });
	if (!(await subscribeDevice(locals.db, parsed.data))) return json({ ok: false, error: 'push_service' }, { status: 422 });
	return json({ ok: true });
};
