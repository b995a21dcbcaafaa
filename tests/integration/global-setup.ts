import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { parseConfig } from '../../src/lib/server/config.ts';
import { startStack, type StackEnv } from '../../src/lib/server/stack/index.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		stackEnv: StackEnv & { DATABASE_URL: string };
	}
}

/**
 * One real, isolated stack per test run: a fresh embedded PostgreSQL in a temporary folder
 * (never the app's .data) and a real PostgREST behind /rest/v1, migrated, without demo data.
 */
export default async function setup(project: TestProject) {
	const dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-it-'));
	const stack = await startStack(parseConfig({ BUURTBORD_DATA_DIR: dataDir, LOAD_DEMO_DATA: 'false' }));
	project.provide('stackEnv', { ...stack.env, DATABASE_URL: stack.env.DATABASE_URL! });
	return async () => {
		await stack.stop();
		await rm(dataDir, { recursive: true, force: true });
	};
}
