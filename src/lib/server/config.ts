import { parseSigningKey } from './auth/signing-key.ts';
import { z } from 'zod';

/**
 * All configuration comes from environment variables, is read once and validated here.
 * Every variable is documented in README.md and .env.example.
 *
 * Kept free of `$lib` and `$env` imports: the Vite dev plugin and the production server
 * load this file outside SvelteKit.
 */

const emptyAsUndefined = (value: unknown) =>
	typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

const postgresUrl = z.preprocess(
	emptyAsUndefined,
	z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
		.pipe(z.url({ message: 'must be a valid URL' }))
		.optional()
);

const httpUrl = z.preprocess(
	emptyAsUndefined,
	z
		.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
		.transform((url) => url.replace(/\/+$/, ''))
		.optional()
);

const port = (fallback: number) =>
	z.preprocess(
		emptyAsUndefined,
		z.coerce
			.number({ message: 'must be a number' })
			.int('must be a whole number')
			.min(0, 'must be between 0 and 65535')
			.max(65535, 'must be between 0 and 65535')
			.default(fallback)
	);

/** How much the server logs (pino levels); `silent` logs nothing. */
export const logLevelSchema = z.preprocess(
	emptyAsUndefined,
	z
		.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
			message: "must be one of 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'"
		})
		.default('info')
);

const triState = z.preprocess(
	emptyAsUndefined,
	z.enum(['auto', 'true', 'false'], { message: "must be 'auto', 'true' or 'false'" }).default('auto')
);

export const configSchema = z
	.object({
		NODE_ENV: z.preprocess(emptyAsUndefined, z.string().default('development')),
		LOG_LEVEL: logLevelSchema,
		// Without it, /metrics is served only outside production; with it, only to `Bearer <token>`.
		METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(24, 'must be at least 24 characters').optional()),
		PORT: port(3000),
		HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
		ORIGIN: httpUrl,
		DATABASE_URL: postgresUrl,
		SUPABASE_URL: httpUrl,
		SUPABASE_ANON_KEY: optionalString,
		SUPABASE_SERVICE_ROLE_KEY: optionalString,
		// Supabase's new API keys stand in for the legacy anon and service_role keys.
		SUPABASE_PUBLISHABLE_KEY: optionalString,
		SUPABASE_SECRET_KEY: optionalString,
		SUPABASE_JWT_SECRET: z.preprocess(
			emptyAsUndefined,
			z.string().min(32, 'must be at least 32 characters').optional()
		),
		// The private key (a JWK in JSON) that signs members' Data API tokens, where the Data
		// API trusts the app as a third-party issuer; instead of SUPABASE_JWT_SECRET.
		DATA_API_SIGNING_KEY: z.preprocess(
			emptyAsUndefined,
			z
				.string()
				.refine((value) => {
					try {
						parseSigningKey(value);
						return true;
					} catch {
						return false;
					}
				}, 'must be a private EC P-256 key as a JWK in JSON, with kid (see the README)')
				.optional()
		),
		AUTH_SECRET: z.preprocess(
			emptyAsUndefined,
			z.string().min(32, 'must be at least 32 characters').optional()
		),
		SMTP_URL: z.preprocess(
			emptyAsUndefined,
			z
				.url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL' })
				.optional()
		),
		MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().max(200).default('Buurtbord <noreply@buurtbord.invalid>')),
		GUEST_RETENTION_DAYS: z.preprocess(
			emptyAsUndefined,
			z.coerce
				.number({ message: 'must be a number' })
				.int('must be a whole number')
				.min(7, 'must be at least 7')
				.max(3650, 'must be at most 3650')
				.default(180)
		),
		BUURTBORD_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('.data')),
		LOAD_DEMO_DATA: triState,
		// Web push (reminders for people without e-mail). Generated into the data folder's
		// secrets on first start when not set; set them (the same on every instance) in production.
		VAPID_PUBLIC_KEY: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, 'must be a VAPID public key (base64url)').optional()),
		VAPID_PRIVATE_KEY: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Za-z0-9_-]{40,50}$/, 'must be a VAPID private key (base64url)').optional()),
		VAPID_SUBJECT: z.preprocess(emptyAsUndefined, z.string().regex(/^(mailto:|https:\/\/)/, 'must start with mailto: or https://').default('mailto:noreply@buurtbord.invalid')),
		// Hosts the server may send web push to (the browsers' push services); a member's
		// device can only name one of these, so the server never posts to arbitrary addresses.
		PUSH_SERVICE_HOSTS: z.preprocess(
			emptyAsUndefined,
			z
				.string()
				.default('fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,*.notify.windows.com,*.push.apple.com')
				.transform((hosts) => hosts.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))
		),
		// How long a request waits for the database — a free pooled connection, a query, an
		// answer from the Data API — before the person is told to try again.
		DATABASE_TIMEOUT_MS: z.preprocess(
			emptyAsUndefined,
			z.coerce
				.number({ message: 'must be a number' })
				.int('must be a whole number')
				.min(1000, 'must be at least 1000')
				.max(120_000, 'must be at most 120000')
				.default(5000)
		),
		// Requests answered at the same time; the others wait their turn (see admission.ts).
		REQUESTS_AT_ONCE: z.preprocess(
			emptyAsUndefined,
			z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(8)
		),
		// How long a request may wait for its turn before the person is told to try again.
		REQUEST_QUEUE_TIMEOUT_MS: z.preprocess(
			emptyAsUndefined,
			z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1000, 'must be at least 1000').max(300_000, 'must be at most 300000').default(60_000)
		),
		MEMBER_TOKEN_TTL_SECONDS: z.preprocess(
			emptyAsUndefined,
			z.coerce
				.number({ message: 'must be a number' })
				.int('must be a whole number')
				.min(30, 'must be at least 30')
				.max(3600, 'must be at most 3600')
				.default(300)
		)
	})
	.superRefine((env, ctx) => {
		// Supabase settings only make sense together: the app cannot mint member tokens
		// without the secret, nor reach the Data API without the URL and keys.
		if (env.SUPABASE_URL) {
			// Sign-in keeps its sessions in PostgreSQL itself, not behind the Data API.
			if (!env.DATABASE_URL) {
				ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when SUPABASE_URL is set' });
			}
			if (!env.AUTH_SECRET) {
				ctx.addIssue({ code: 'custom', path: ['AUTH_SECRET'], message: 'is required when SUPABASE_URL is set' });
			}
			const eitherOf = [
				['SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_ANON_KEY'],
				['SUPABASE_SECRET_KEY', 'SUPABASE_SERVICE_ROLE_KEY'],
				['DATA_API_SIGNING_KEY', 'SUPABASE_JWT_SECRET']
			] as const;
			for (const [key, legacy] of eitherOf) {
				if (!env[key] && !env[legacy]) {
					ctx.addIssue({ code: 'custom', path: [key], message: `(or ${legacy}) is required when SUPABASE_URL is set` });
				}
			}
		}
	});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
	constructor(readonly problems: { variable: string; message: string }[]) {
		super(
			'Buurtbord cannot start: the configuration is not valid.\n' +
				problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n') +
				'\nSee README.md ("Configuration") or .env.example.'
		);
		this.name = 'ConfigError';
	}
}

export function parseConfig(env: Record<string, string | undefined>): Config {
	const result = configSchema.safeParse(env);
	if (!result.success) {
		throw new ConfigError(
			result.error.issues.map((issue) => ({
				variable: String(issue.path[0] ?? 'configuration'),
				message: issue.message
			}))
		);
	}
	return result.data;
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function config(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}

/** The settings the app needs at request time, present once the stack has started. */
export interface DataApiConfig {
	origin: string | undefined;
	authSecret: string;
	dataDir: string;
	smtpUrl: string | undefined;
	mailFrom: string;
	guestRetentionDays: number;
	supabaseUrl: string;
	anonKey: string;
	serviceRoleKey: string;
	/** What signs members' tokens: the private key (JSON) or the legacy shared secret. */
	tokenSigner: string;
	/** The `iss` of members' tokens: the origin where the app publishes its keys. */
	tokenIssuer: string;
	databaseUrl: string;
	memberTokenTtlSeconds: number;
	vapid: { publicKey: string; privateKey: string; subject: string } | null;
	pushServiceHosts: string[];
}

export function dataApiConfig(): DataApiConfig {
	const c = config();
	if (
		!c.SUPABASE_URL ||
		!(c.SUPABASE_PUBLISHABLE_KEY ?? c.SUPABASE_ANON_KEY) ||
		!(c.SUPABASE_SECRET_KEY ?? c.SUPABASE_SERVICE_ROLE_KEY) ||
		!(c.DATA_API_SIGNING_KEY ?? c.SUPABASE_JWT_SECRET) ||
		!c.AUTH_SECRET ||
		!c.DATABASE_URL
	) {
		throw new ConfigError([
			{
				variable: 'SUPABASE_URL',
				message: 'is not set; start the app with `npm start` or `npm run dev`, or set SUPABASE_URL and its keys'
			}
		]);
	}
	return {
		origin: c.ORIGIN,
		authSecret: c.AUTH_SECRET,
		dataDir: c.BUURTBORD_DATA_DIR,
		smtpUrl: c.SMTP_URL,
		mailFrom: c.MAIL_FROM,
		guestRetentionDays: c.GUEST_RETENTION_DAYS,
		supabaseUrl: c.SUPABASE_URL,
		anonKey: (c.SUPABASE_PUBLISHABLE_KEY ?? c.SUPABASE_ANON_KEY)!,
		serviceRoleKey: (c.SUPABASE_SECRET_KEY ?? c.SUPABASE_SERVICE_ROLE_KEY)!,
		tokenSigner: (c.DATA_API_SIGNING_KEY ?? c.SUPABASE_JWT_SECRET)!,
		tokenIssuer: c.ORIGIN ?? 'buurtbord',
		databaseUrl: c.DATABASE_URL,
		memberTokenTtlSeconds: c.MEMBER_TOKEN_TTL_SECONDS,
		vapid: c.VAPID_PUBLIC_KEY && c.VAPID_PRIVATE_KEY ? { publicKey: c.VAPID_PUBLIC_KEY, privateKey: c.VAPID_PRIVATE_KEY, subject: c.VAPID_SUBJECT } : null,
		pushServiceHosts: c.PUSH_SERVICE_HOSTS
	};
}
