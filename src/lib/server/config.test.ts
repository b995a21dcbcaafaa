import { describe, expect, it } from 'vitest';
import { generateSigningKey } from './auth/signing-key.ts';
import { ConfigError, parseConfig } from './config.ts';

function problemsOf(env: Record<string, string>) {
	try {
		parseConfig(env);
	} catch (error) {
		if (error instanceof ConfigError) return error.problems;
		throw error;
	}
	throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
	it('runs on embedded defaults with an empty environment', () => {
		const config = parseConfig({});
		expect(config.PORT).toBe(3000);
		expect(config.HOST).toBe('0.0.0.0');
		expect(config.DATABASE_URL).toBeUndefined();
		expect(config.BUURTBORD_DATA_DIR).toBe('.data');
		expect(config.LOAD_DEMO_DATA).toBe('auto');
	});

	it('treats empty values as unset', () => {
		expect(parseConfig({ PORT: '', DATABASE_URL: '  ' }).PORT).toBe(3000);
	});

	it('names the variable that is wrong', () => {
		expect(problemsOf({ PORT: 'eighty' })).toEqual([{ variable: 'PORT', message: 'must be a number' }]);
		expect(problemsOf({ PORT: '70000' })[0]?.variable).toBe('PORT');
		expect(problemsOf({ DATABASE_URL: 'mysql://x' })[0]).toMatchObject({ variable: 'DATABASE_URL' });
		expect(problemsOf({ SUPABASE_URL: 'ftp://example.org' })[0]).toMatchObject({ variable: 'SUPABASE_URL' });
		expect(problemsOf({ LOAD_DEMO_DATA: 'yes' })[0]).toMatchObject({ variable: 'LOAD_DEMO_DATA' });
	});

	it('requires the keys, a signing key or the JWT secret, a database and an auth secret together with SUPABASE_URL', () => {
		const problems = problemsOf({ SUPABASE_URL: 'https://abc.supabase.co', SUPABASE_ANON_KEY: 'k' });
		expect(problems.map((p) => p.variable).sort()).toEqual(['AUTH_SECRET', 'DATABASE_URL', 'DATA_API_SIGNING_KEY', 'SUPABASE_SECRET_KEY']);
		expect(problems.find((p) => p.variable === 'DATA_API_SIGNING_KEY')?.message).toBe('(or SUPABASE_JWT_SECRET) is required when SUPABASE_URL is set');
	});

	it("takes Supabase's new API keys and a signing key in place of the legacy keys and secret", async () => {
		const key = await generateSigningKey();
		const config = parseConfig({
			SUPABASE_URL: 'https://abc.supabase.co',
			SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_x',
			SUPABASE_SECRET_KEY: 'sb_secret_y',
			DATA_API_SIGNING_KEY: key,
			DATABASE_URL: 'postgres://postgres@db.abc.supabase.co:5432/postgres',
			AUTH_SECRET: 'y'.repeat(32)
		});
		expect(config.DATA_API_SIGNING_KEY).toBe(key);
		expect(problemsOf({ DATA_API_SIGNING_KEY: '{"kty":"oct","k":"secret"}' })[0]?.variable).toBe('DATA_API_SIGNING_KEY');
	});

	it('checks the mail and guest settings', () => {
		expect(problemsOf({ SMTP_URL: 'http://mail.example.org' })[0]?.variable).toBe('SMTP_URL');
		expect(problemsOf({ GUEST_RETENTION_DAYS: '1' })[0]).toEqual({ variable: 'GUEST_RETENTION_DAYS', message: 'must be at least 7' });
		expect(parseConfig({ SMTP_URL: 'smtps://u:p@mail.example.org:465' }).SMTP_URL).toBe('smtps://u:p@mail.example.org:465');
	});

	it('rejects a JWT secret too short to be safe', () => {
		expect(problemsOf({ SUPABASE_JWT_SECRET: 'short' })[0]?.variable).toBe('SUPABASE_JWT_SECRET');
	});

	it('strips a trailing slash from SUPABASE_URL', () => {
		const config = parseConfig({
			SUPABASE_URL: 'https://abc.supabase.co/',
			SUPABASE_ANON_KEY: 'a',
			SUPABASE_SERVICE_ROLE_KEY: 's',
			SUPABASE_JWT_SECRET: 'x'.repeat(32),
			DATABASE_URL: 'postgres://postgres@db.abc.supabase.co:5432/postgres',
			AUTH_SECRET: 'y'.repeat(32)
		});
		expect(config.SUPABASE_URL).toBe('https://abc.supabase.co');
	});

	it('checks the log level and the metrics token', () => {
		expect(parseConfig({}).LOG_LEVEL).toBe('info');
		expect(parseConfig({ LOG_LEVEL: 'silent' }).LOG_LEVEL).toBe('silent');
		expect(problemsOf({ LOG_LEVEL: 'loud' })[0]?.variable).toBe('LOG_LEVEL');
		expect(parseConfig({}).METRICS_TOKEN).toBeUndefined();
		expect(problemsOf({ METRICS_TOKEN: 'too-short' })[0]).toEqual({ variable: 'METRICS_TOKEN', message: 'must be at least 24 characters' });
		expect(parseConfig({ METRICS_TOKEN: 'x'.repeat(24) }).METRICS_TOKEN).toBe('x'.repeat(24));
	});

	it('puts every problem in one message', () => {
		expect(() => parseConfig({ PORT: '-1', MEMBER_TOKEN_TTL_SECONDS: '5' })).toThrow(
			/PORT: .*\n.*MEMBER_TOKEN_TTL_SECONDS: must be at least 30/
		);
	});
});
