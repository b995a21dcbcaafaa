import { describe, expect, it } from 'vitest';
import { pushEndpointAllowed, pushSubscriptionSchema } from './push.ts';

const hosts = ['fcm.googleapis.com', '*.notify.windows.com', '127.0.0.1:4999'];

describe('pushEndpointAllowed', () => {
	it.each([
		'https://fcm.googleapis.com/fcm/send/abc',
		'https://db5p.notify.windows.com/w/?token=x',
		'http://127.0.0.1:4999/push/1'
	])('allows %s', (endpoint) => expect(pushEndpointAllowed(endpoint, hosts)).toBe(true));
	it.each([
		'http://fcm.googleapis.com/fcm/send/abc',
		'https://fcm.googleapis.com.evil.example/x',
		'https://evilfcm.googleapis.com/x',
		'https://notify.windows.com/x',
		'https://evil.example/notify.windows.com',
		'http://127.0.0.1:5432/',
		'http://localhost:4999/push',
		'https://user:pw@fcm.googleapis.com/x',
		'file:///etc/passwd',
		'not a url'
	])('refuses %s', (endpoint) => expect(pushEndpointAllowed(endpoint, hosts)).toBe(false));
});

describe('pushSubscriptionSchema', () => {
	it('reads what a browser sends and refuses odd keys', () => {
		const keys = { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) };
		expect(pushSubscriptionSchema.safeParse({ endpoint: 'https://fcm.googleapis.com/x', keys }).success).toBe(true);
		expect(pushSubscriptionSchema.safeParse({ endpoint: 'https://fcm.googleapis.com/x', keys: { ...keys, auth: '<script>' } }).success).toBe(false);
		expect(pushSubscriptionSchema.safeParse({ endpoint: 'https://fcm.googleapis.com/x' }).success).toBe(false);
	});
});
