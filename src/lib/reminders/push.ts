import { z } from 'zod';

/** A browser's PushSubscription as it arrives from the page (PushSubscription.toJSON()). */
export const pushSubscriptionSchema = z.object({
	endpoint: z.url().max(1000),
	keys: z.object({
		p256dh: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/),
		auth: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/)
	})
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;

/**
 * Whether the server may post to this endpoint: only to the configured push services
 * (`*.example.com` covers subdomains), over https — so a member cannot make the server call an
 * arbitrary address. Plain http only for a loopback host named exactly with its port (tests).
 */
export function pushEndpointAllowed(endpoint: string, allowedHosts: string[]): boolean {
	let url: URL;
	try {
		url = new URL(endpoint);
	} catch {
		return false;
	}
	if (url.username || url.password) return false;
	const host = url.hostname.toLowerCase();
	if (url.protocol === 'http:') {
		return (host === '127.0.0.1' || host === 'localhost') && allowedHosts.includes(url.host.toLowerCase());
	}
	if (url.protocol !== 'https:') return false;
	return allowedHosts.some((allowed) => (allowed.startsWith('*.') ? host.endsWith(allowed.slice(1)) && host.length > allowed.length - 1 : host === allowed));
}
