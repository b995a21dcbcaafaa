import { z } from 'zod';
import { DataError, unwrap, type DataClient } from '../server/db/client.ts';

/** "Remind me the day before", devices that accept web push, and the queue of notices. */
export async function remindMe(db: DataClient, gatheringId: string, memberId: string, on: boolean): Promise<boolean> {
	const result = on
		? await db.from('gathering_reminder').upsert({ gathering_id: gatheringId, member_id: memberId }, { onConflict: 'gathering_id,member_id', ignoreDuplicates: true })
		: await db.from('gathering_reminder').delete().eq('gathering_id', gatheringId).eq('member_id', memberId);
	if (result.error?.code === '42501') return false;
	if (result.error) throw new DataError('remindMe', result.error.code, result.error.message);
	return true;
}

/** Whether the caller asked to be reminded of this date, and how a reminder would reach them. */
export async function myReminder(db: DataClient, gatheringId: string): Promise<{ on: boolean; email: boolean; devices: number }> {
	return z
		.object({ on: z.boolean(), email: z.boolean(), devices: z.number().int() })
		.parse(unwrap('myReminder', await db.rpc('my_reminder', { p_gathering: gatheringId })));
}

export async function savePushSubscription(db: DataClient, endpoint: string, p256dh: string, auth: string): Promise<void> {
	unwrap('savePushSubscription', await db.rpc('save_push_subscription', { p_endpoint: endpoint, p_p256dh: p256dh, p_auth: auth }));
}

export async function queueDueReminders(service: DataClient): Promise<number> {
	return Number(unwrap('queueDueReminders', await service.rpc('queue_due_reminders')));
}

const noticeSchema = z.object({
	id: z.uuid(),
	kind: z.enum(['reminder', 'cancelled', 'moved', 'moved_up', 'moved_down', 'ended', 'brought_removed']),
	member_id: z.uuid(),
	locale: z.enum(['nl', 'en']),
	email: z.string().nullable(),
	gathering_id: z.uuid(),
	title: z.string(),
	starts_at: z.string(),
	time_zone: z.string(),
	place_name: z.string(),
	status: z.enum(['scheduled', 'cancelled'])
});
export type Notice = z.infer<typeof noticeSchema>;

/** Takes unsent notices for sending (marked sent at once: at most once). */
export async function claimNotices(service: DataClient, limit: number): Promise<Notice[]> {
	return z.array(noticeSchema).parse(unwrap('claimNotices', await service.rpc('claim_notices', { p_limit: limit })));
}

const targetSchema = z.object({ endpoint: z.string(), p256dh: z.string(), auth: z.string() });

export async function pushTargetsOf(service: DataClient, memberId: string) {
	return z.array(targetSchema).parse(unwrap('pushTargetsOf', await service.from('push_subscription').select('endpoint, p256dh, auth').eq('member_id', memberId)));
}

export async function forgetPushTarget(service: DataClient, endpoint: string): Promise<void> {
	unwrap('forgetPushTarget', await service.from('push_subscription').delete().eq('endpoint', endpoint));
}
