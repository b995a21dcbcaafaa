import { formatDay, formatTime, localDate } from '../ui/format.ts';
import { pushEndpointAllowed, type PushSubscriptionInput } from './push.ts';
import { m } from '../paraglide/messages.js';
import { dataApiConfig } from '../server/config.ts';
import { serviceDataClient, type DataClient } from '../server/db/client.ts';
import { claimNotices, forgetPushTarget, myReminder, pushTargetsOf, queueDueReminders, savePushSubscription, type Notice } from './queries.server.ts';
import { sendMail } from '../server/mail/index.ts';
import { sendPush } from '../server/push/index.ts';
import { log } from '../server/log.ts';
import { isStopping } from '../server/lifecycle.ts';

/**
 * Reminders the day before (for people who asked), and notices of what happened to one's place
 * (moved up or down, the date cancelled or moved, the activity ended; for everyone it
 * concerns), queued by the database: by e-mail when they confirmed one, otherwise by web push
 * to their devices.
 */
export async function reminderState(db: DataClient, gatheringId: string) {
	return { ...(await myReminder(db, gatheringId)), vapidPublicKey: dataApiConfig().vapid?.publicKey ?? null };
}

export { remindMe } from './queries.server.ts';

/** Stores a device's push subscription, if it points at a known push service. */
export async function subscribeDevice(db: DataClient, subscription: PushSubscriptionInput): Promise<boolean> {
	if (!pushEndpointAllowed(subscription.endpoint, dataApiConfig().pushServiceHosts)) return false;
	await savePushSubscription(db, subscription.endpoint, subscription.keys.p256dh, subscription.keys.auth);
	return true;
}

function compose(notice: Notice) {
	const locale = notice.locale;
	const when = `${formatDay(localDate(notice.starts_at, notice.time_zone), locale)} ${formatTime(notice.starts_at, locale, notice.time_zone)}`;
	const inputs = { title: notice.title, when, place: notice.place_name };
	const subject = {
		reminder: m.notice_reminder_title,
		cancelled: m.notice_cancelled_title,
		moved: m.notice_moved_title,
		moved_up: m.notice_moved_up_title,
		moved_down: m.notice_moved_down_title,
		ended: m.notice_ended_title,
		brought_removed: m.notice_brought_removed_title
	}[notice.kind](inputs, { locale });
	const body = {
		reminder: m.notice_reminder_body,
		cancelled: m.notice_cancelled_body,
		moved: m.notice_moved_body,
		moved_up: m.notice_moved_up_body,
		moved_down: m.notice_moved_down_body,
		ended: m.notice_ended_body,
		brought_removed: m.notice_brought_removed_body
	}[notice.kind](inputs, { locale });
	const url = new URL(`/g/${notice.gathering_id}`, dataApiConfig().origin ?? 'http://localhost').toString();
	return { subject, body, url };
}

/** Queues reminders that fell due and sends every waiting notice; returns what happened. */
export async function sendNotices(service: DataClient): Promise<{ queued: number; mailed: number; pushed: number; unreachable: number }> {
	const queued = await queueDueReminders(service);
	const counts = { queued, mailed: 0, pushed: 0, unreachable: 0 };
	for (let batch = await claimNotices(service, 50); batch.length; batch = await claimNotices(service, 50)) {
		for (const notice of batch) {
			const { subject, body, url } = compose(notice);
			let delivered = false;
			try {
				if (notice.email) {
					await sendMail({ to: notice.email, subject, text: `${body}\n\n${url}` });
					counts.mailed++;
					continue;
				}
				for (const target of await pushTargetsOf(service, notice.member_id)) {
					const outcome = await sendPush(target, { title: subject, body, url: new URL(url).pathname });
					if (outcome === 'gone') await forgetPushTarget(service, target.endpoint);
					delivered ||= outcome === 'sent';
				}
			} catch (error) {
				// One failed message must not hold up the others.
				log.warn({ err: error, notice: notice.id }, 'notice not delivered');
			}
			if (delivered) counts.pushed++;
			else counts.unreachable++;
		}
	}
	return counts;
}

let sending: Promise<unknown> | undefined;
let again = false;

/**
 * Sends what the database queued now, not at the next round: called when the database says it
 * queued notices (a date cancelled, someone moved up). Calls that come while a round runs make
 * one more round after it, so a burst of changes costs two rounds, not one each.
 */
export function sendNoticesNow(): void {
	if (sending) {
		again = true;
		return;
	}
	again = false;
	sending = sendNotices(serviceDataClient())
		// A round cut short by a stopping server: what it had not claimed stays queued for the next start.
		.catch((error: unknown) => (isStopping() ? log.debug({ err: error }, 'sending notices stopped') : log.error({ err: error }, 'sending notices failed')))
		.finally(() => {
			sending = undefined;
			if (again) sendNoticesNow();
		});
}
