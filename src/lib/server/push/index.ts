import webpush from 'web-push';
import { dataApiConfig } from '../config.ts';
import { log } from '../log.ts';

/**
 * Web push (standard Web Push with VAPID, through the `web-push` library): a short message to
 * a device that asked for notifications, for people who have no e-mail address.
 */
export interface PushTarget {
	endpoint: string;
	p256dh: string;
	auth: string;
}

export interface PushMessage {
	title: string;
	body: string;
	url: string;
}

/** 'gone' means the device no longer accepts messages: forget its subscription. */
export async function sendPush(target: PushTarget, message: PushMessage): Promise<'sent' | 'gone' | 'failed'> {
	const { vapid } = dataApiConfig();
	if (!vapid) return 'failed';
	try {
		// The library encrypts and signs; the request itself goes out through fetch, which also
		// reaches a plain-http loopback service in tests (the library only speaks https).
		const request = webpush.generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, JSON.stringify(message), {
			vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
			TTL: 12 * 3600
		});
		const response = await fetch(request.endpoint, {
			method: request.method,
			headers: request.headers as Record<string, string>,
			body: request.body ? new Uint8Array(request.body) : undefined,
			redirect: 'error',
			signal: AbortSignal.timeout(10_000)
		});
		if (response.status === 404 || response.status === 410) return 'gone';
		if (response.ok) return 'sent';
		log.warn({ status: response.status }, 'web push refused');
		return 'failed';
	} catch (error) {
		log.warn({ err: error }, 'web push failed');
		return 'failed';
	}
}
