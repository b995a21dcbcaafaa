import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { signDataApiToken } from '../../src/lib/server/auth/tokens.ts';
import { parseConfig } from '../../src/lib/server/config.ts';
import { startStack } from '../../src/lib/server/stack/index.ts';
import { startSupabaseLike } from '../support/supabase-like.ts';

const TEN_YEARS = 10 * 365 * 24 * 3600;

/**
 * The suite's files that hold rules and privileges, run once more on a PostgreSQL prepared as a
 * Supabase project (tests/support/supabase-like.ts) with its Data API: the app deploys there as
 * the README says (SUPABASE_URL and its keys, DATABASE_URL as `postgres`), and migrates at
 * start-up. The project's name says which variant: `…-grants-by-default` or `…-grants-nothing`.
 */
export default async function setup(project: TestProject) {
	const supabase = await startSupabaseLike({ grantsByDefault: project.name.endsWith('grants-by-default') });
	const dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-it-supabase-'));
	try {
		const stack = await startStack(
			parseConfig({
				SUPABASE_URL: supabase.dataApiUrl,
				SUPABASE_ANON_KEY: await signDataApiToken(supabase.jwtSecret, { role: 'anon' }, TEN_YEARS),
				SUPABASE_SERVICE_ROLE_KEY: await signDataApiToken(supabase.jwtSecret, { role: 'service_role' }, TEN_YEARS),
				SUPABASE_JWT_SECRET: supabase.jwtSecret,
				DATABASE_URL: supabase.databaseUrl,
				AUTH_SECRET: 'a-test-auth-secret-that-is-long-enough-for-better-auth',
				BUURTBORD_DATA_DIR: dataDir,
				LOAD_DEMO_DATA: 'false'
			})
		);
		project.provide('stackEnv', { ...stack.env, DATABASE_URL: stack.env.DATABASE_URL! });
		return async () => {
			await stack.stop();
			await supabase.stop();
			await rm(dataDir, { recursive: true, force: true });
		};
	} catch (error) {
		await supabase.stop();
		await rm(dataDir, { recursive: true, force: true });
		throw error;
	}
}
