import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { dataApiConfig } from '../config.ts';
import { log } from '../log.ts';
import { m } from '../../paraglide/messages.js';
import { getLocale } from '../../paraglide/runtime.js';

/**
 * E-mail goes out by SMTP when SMTP_URL is set. Without it (the embedded stack), every
 * message lands in a local outbox — files in `<data dir>/outbox`, a line in the log, and the
 * page /dev/outbox for the developer — and is never silently dropped.
 */
export interface OutgoingMail {
	to: string;
	subject: string;
	text: string;
}

const outboxMessageSchema = z.object({
	id: z.string(),
	at: z.string(),
	to: z.string(),
	subject: z.string(),
	text: z.string()
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

let transport: ReturnType<typeof nodemailer.createTransport> | undefined;

export function usesOutbox(): boolean {
	return !dataApiConfig().smtpUrl;
}

function outboxDir() {
	return resolve(dataApiConfig().dataDir, 'outbox');
}

export async function sendMail(mail: OutgoingMail): Promise<void> {
	const c = dataApiConfig();
	if (c.smtpUrl) {
		transport ??= nodemailer.createTransport(c.smtpUrl);
		await transport.sendMail({ from: c.mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
		return;
	}
	const message: OutboxMessage = { id: randomUUID(), at: new Date().toISOString(), ...mail };
	await mkdir(outboxDir(), { recursive: true, mode: 0o700 });
	await writeFile(join(outboxDir(), `${message.at.replace(/[:.]/g, '-')}-${message.id}.json`), JSON.stringify(message), {
		mode: 0o600
	});
	// No address in the log: /dev/outbox shows it to the developer.
	log.info({ subject: mail.subject }, 'mail put in the local outbox (read it at /dev/outbox)');
}

/** The newest messages in the local outbox. */
export async function readOutbox(limit = 50): Promise<OutboxMessage[]> {
	const files = await readdir(outboxDir()).catch(() => [] as string[]);
	const newest = files.filter((f) => f.endsWith('.json')).sort().reverse().slice(0, limit);
	const messages = await Promise.all(
		newest.map(async (f) => outboxMessageSchema.safeParse(JSON.parse(await readFile(join(outboxDir(), f), 'utf8'))))
	);
	return messages.flatMap((r) => (r.success ? [r.data] : []));
}

type LinkMessage = (inputs: { url: string }, options: { locale: 'nl' | 'en' }) => string;

/** A mail whose point is one link, in the language of the person asking. */
function sendLinkMail(email: string, url: string, subject: LinkMessage, text: LinkMessage) {
	const locale = getLocale();
	return sendMail({ to: email, subject: subject({ url }, { locale }), text: text({ url }, { locale }) });
}

export const sendMagicLinkMail = (email: string, url: string) =>
	sendLinkMail(email, url, m.mail_sign_in_subject, m.mail_sign_in_text);

export const sendConfirmEmailMail = (email: string, url: string) =>
	sendLinkMail(email, url, m.mail_confirm_subject, m.mail_confirm_text);
