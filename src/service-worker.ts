/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { files, version } from '$service-worker';

/**
 * A small service worker: when a page cannot load because the phone is offline, it shows a
 * kind offline page instead of the browser's error. Only the offline page, its style sheet and
 * the icons are stored — not the app's scripts — so installing costs almost no data; everything
 * else goes to the network as usual (live boards must never show a stale copy).
 */
const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `buurtbord-${version}`;
const OFFLINE_PAGE = '/offline.html';
const STORED = [OFFLINE_PAGE, '/offline.css', ...files.filter((file) => file === '/favicon.svg' || file.startsWith('/icons/'))];

worker.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll(STORED))
			.then(() => worker.skipWaiting())
	);
});

worker.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
			.then(() => worker.clients.claim())
	);
});

worker.addEventListener('fetch', (event) => {
	if (event.request.method !== 'GET') return;
	if (event.request.mode === 'navigate') {
		event.respondWith(fetch(event.request).catch(async () => (await caches.match(OFFLINE_PAGE)) ?? Response.error()));
		return;
	}
	// What the offline page itself loads (its style sheet, the icon), from the store when offline.
	const url = new URL(event.request.url);
	if (url.origin === worker.location.origin && STORED.includes(url.pathname)) {
		event.respondWith(fetch(event.request).catch(async () => (await caches.match(event.request)) ?? Response.error()));
	}
});

// Reminders and notices (sent by the server with web push): show them, and open the board on a tap.
worker.addEventListener('push', (event) => {
	const message = (() => {
		try {
			return event.data?.json() as { title?: string; body?: string; url?: string };
		} catch {
			return undefined;
		}
	})();
	if (!message?.title) return;
	event.waitUntil(
		worker.registration.showNotification(message.title, { body: message.body, icon: '/icons/icon-192.png', badge: '/icons/icon-192.png', data: { url: message.url } })
	);
});

worker.addEventListener('notificationclick', (event) => {
	event.notification.close();
	const url = (event.notification.data as { url?: string } | null)?.url;
	// Only pages of this app are opened.
	if (url && new URL(url, worker.location.origin).origin === worker.location.origin) event.waitUntil(worker.clients.openWindow(url));
});
