import { betterAuth } from 'better-auth';
import { anonymous, magicLink } from 'better-auth/plugins';
import { sveltekitCookies } from 'better-auth/svelte-kit';
import { getRequestEvent } from '$app/server';
import { dataApiConfig } from '../config.ts';
import { createPool } from '../db/pool.ts';
import { sendConfirmEmailMail, sendMagicLinkMail } from '../mail/index.ts';
import { authLog } from '../outage.ts';
import { memberSessionPlugin } from './member-session-plugin.ts';

/**
 * Sign-in, with better-auth: sessions in an HttpOnly cookie, guests (anonymous users) who
 * join with a first name, magic links for those who add an e-mail address, and sessions
 * started from a personal return link. Its tables live in the `identity` schema. A member's
 * id is their better-auth user id, and the `sub` of their Data API tokens.
 */
export const GUEST_EMAIL_DOMAIN = 'guest.buurtbord.invalid';
const ONE_YEAR = 365 * 24 * 3600;

function createAuth() {
	const c = dataApiConfig();
	return betterAuth({
		appName: 'Buurtbord',
		baseURL: c.origin,
		basePath: '/api/auth',
		secret: c.authSecret,
		trustedOrigins: c.origin ? [c.origin] : [],
		// Every request looks up its session here: a burst of taps must not wait out the pool's timeout.
		database: createPool({ searchPath: 'identity', max: 10 }),
		telemetry: { enabled: false },
		logger: { log: authLog },
		session: {
			// Long-lived on the device: people should not have to sign in again.
			expiresIn: ONE_YEAR,
			updateAge: 24 * 3600
		},
		advanced: {
			cookiePrefix: 'buurtbord',
			// Said outright rather than left to better-auth's guess: the session cookie is never
			// readable by page scripts, is not sent along when another site starts a request
			// (other than following a link), and travels only over https where the app is https
			// (it is then named `__Secure-buurtbord.session_token`).
			useSecureCookies: Boolean(c.origin?.startsWith('https://')),
			defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
			database: { generateId: 'uuid' }
		},
		emailVerification: {
			sendVerificationEmail: ({ user, url }) => sendConfirmEmailMail(user.email, url),
			autoSignInAfterVerification: true,
			expiresIn: 24 * 3600
		},
		rateLimit: { enabled: true, storage: 'database', window: 60, max: 60 },
		plugins: [
			anonymous({ emailDomainName: GUEST_EMAIL_DOMAIN, disableDeleteAnonymousUser: true }),
			magicLink({
				// Only for people who added and confirmed an e-mail; nobody signs up by e-mail.
				disableSignUp: true,
				expiresIn: 15 * 60,
				storeToken: 'hashed',
				sendMagicLink: ({ email, url }) => sendMagicLinkMail(email, url)
			}),
			memberSessionPlugin(),
			sveltekitCookies(getRequestEvent)
		]
	});
}

let instance: ReturnType<typeof createAuth> | undefined;
export function auth() {
	instance ??= createAuth();
	return instance;
}

export type Auth = ReturnType<typeof auth>;
