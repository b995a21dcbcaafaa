import type { IncomingMessage, ServerResponse } from 'node:http';
import { m } from '../paraglide/messages.js';
import { extractLocaleFromRequest } from '../paraglide/runtime.js';
import { actionName, escapeHtml as escape, failureAnswer, plainPage } from './action-answer.ts';

/**
 * adapter-node's body limit (BODY_SIZE_LIMIT, 512K when unset), read as adapter-node reads it
 * (its parse_as_bytes): a number, with K, M or G for kibi-, mebi- or gibibytes; "Infinity" for
 * none. What it cannot read is NaN, and adapter-node then refuses to start.
 */
export function bodySizeLimit(setting: string | undefined): number {
	const value = setting ?? '512K';
	const multiplier = ({ K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[value.at(-1)?.toUpperCase() ?? ''];
	return multiplier ? Number(value.slice(0, -1)) * multiplier : Number(value);
}

/** Bodies up to this size are read (and dropped) before the answer, so a browser shows it. */
const READ_AT_MOST = 16 * 1024 ** 2;

/**
 * A body over the limit, refused before anything parses it: adapter-node would answer a bare
 * English 413. Here it is said in the person's language, the way the request expects an answer:
 * an enhanced form gets a failure it shows under the form (what was typed stays in the form),
 * a page a small page with a way back, anything else plain text. The body is read and dropped
 * first (a browser shows no answer to a request it could not finish sending), unless it is over
 * 16 MiB: then the answer comes at once and the connection closes. Returns whether it answered.
 */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): boolean {
	const length = Number(req.headers['content-length']);
	if (!(length > limit)) return false;
	const url = new URL(req.url ?? '/', 'http://localhost');
	const locale = extractLocaleFromRequest(new Request(url, { headers: { cookie: req.headers.cookie ?? '' } }));
	const message = m.error_too_large({}, { locale });
	const headers = { connection: 'close', 'cache-control': 'no-store' };
	const answer = () => {
		if (req.headers['x-sveltekit-action'] === 'true') {
			const data = { action: actionName(url), errors: { form: 'error_too_large' } };
			res.writeHead(413, { ...headers, 'content-type': 'application/json' }).end(failureAnswer(413, data));
		} else if ((req.headers.accept ?? '').includes('text/html')) {
			const back = `<p><a href="${escape(url.pathname)}">${escape(m.too_large_back({}, { locale }))}</a></p>`;
			res.writeHead(413, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(
				plainPage({ lang: locale, title: m.error_title({}, { locale }), body: `<p>${escape(message)}</p>${back}` })
			);
		} else {
			res.writeHead(413, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end(message);
		}
	};
	if (length > READ_AT_MOST) {
		answer();
		return true;
	}
	let read = 0;
	req.on('data', (chunk: Buffer) => {
		// Longer than it said: stop reading and answer now.
		if ((read += chunk.length) > READ_AT_MOST) req.destroy();
	});
	req.once('end', answer);
	req.once('error', () => res.destroy());
	return true;
}

/**
 * A handler that answers without reading the whole body (sign-out, a refusal) leaves the rest
 * of it unread; SvelteKit holds the request paused, so the connection could take no next request
 * and was reset when the client sent one on it. Once the answer is sent, the rest is read and
 * dropped (at most READ_AT_MOST bytes, then the connection closes), and the connection serves on.
 */
export function drainUnreadBody(req: IncomingMessage, res: ServerResponse) {
	res.once('finish', () => {
		if (req.complete || req.destroyed) return;
		let read = 0;
		req.removeAllListeners('data');
		req.on('data', (chunk: Buffer) => {
			if ((read += chunk.length) > READ_AT_MOST) req.destroy();
		});
		req.resume();
	});
}


/**
 * A request whose address or headers are over Node's limit (16 KiB) cannot be parsed, so no
 * handler sees it. Node's own answer (431) closes the connection while the client may still be
 * sending, and the client then sees a reset instead of the answer. Here the answer is written,
 * what the client still sends is read and dropped (up to 16 MiB), and the connection closes
 * once it is done. The request's language cannot be read: the message is in both. Other
 * unparsable requests get a bare 400, as Node would answer them.
 */
export function answerUnparsableRequest(error: Error & { code?: string }, socket: import('node:stream').Duplex) {
	if (!socket.writable) return void socket.destroy();
	const tooLong = error.code === 'HPE_HEADER_OVERFLOW';
	const message = tooLong ? `${m.error_address_too_long({}, { locale: 'nl' })}\n${m.error_address_too_long({}, { locale: 'en' })}\n` : '';
	const body = Buffer.from(message);
	socket.end(
		`HTTP/1.1 ${tooLong ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nconnection: close\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${body.length}\r\n\r\n${message}`
	);
	let read = 0;
	socket.on('data', (chunk: Buffer) => {
		if ((read += chunk.length) > READ_AT_MOST) socket.destroy();
	});
	socket.resume();
	// A client that never stops sending is not waited for.
	setTimeout(() => socket.destroy(), 10_000).unref();
}
