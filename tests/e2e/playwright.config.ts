import { defineConfig, devices } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * End-to-end tests drive a real Chromium against the built app, served by the production
 * server with its own embedded stack in a temporary data folder (never the app's .data).
 * Chromium comes from the system (Debian's `chromium`); CHROMIUM_PATH overrides the path.
 */
// Set once in the runner process; workers inherit the environment, so all agree.
process.env.E2E_PORT ??= String(20_000 + (process.pid % 20_000));
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'buurtbord-e2e-'));
// Traces and screenshots of this run only (two runs side by side must not clear each other's).
process.env.E2E_RESULTS_DIR ??= mkdtempSync(join(tmpdir(), 'buurtbord-e2e-results-'));
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

export default defineConfig({
	testDir: '.',
	testMatch: '**/*.spec.ts',
	fullyParallel: true,
	workers: 2,
	retries: 0,
	reporter: 'list',
	// A test's timeout guards against a hang, not against slowness (speed is measured in
	// `npm run bench`). Flows with two or three browsers take 15 s alone on 2 cores and near 30 s
	// beside another worker, a server and its database: Playwright's default of 30 s cut them off.
	timeout: 90_000,
	outputDir: process.env.E2E_RESULTS_DIR,
	use: {
		baseURL,
		locale: 'nl-NL',
		timezoneId: 'Europe/Amsterdam',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	// A cheap phone first; a desktop too.
	projects: [
		{ name: 'phone', use: { ...devices['Pixel 5'] } },
		{ name: 'desktop', use: { viewport: { width: 1280, height: 800 } } }
	],
	webServer: {
		command: 'node --import tsx src/server.ts',
		cwd: '../..',
		url: `${baseURL}/healthz`,
		timeout: 120_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		// Time for the server's own orderly stop (requests, sockets, PostgREST, PostgreSQL) even on
		// a loaded machine: a SIGKILL after it would leave PostgreSQL and PostgREST running.
		gracefulShutdown: { signal: 'SIGTERM', timeout: 60_000 },
		env: {
			PORT: process.env.E2E_PORT,
			HOST: '127.0.0.1',
			BUURTBORD_DATA_DIR: process.env.E2E_DATA_DIR,
			ORIGIN: baseURL,
			// Test browsers name their (loopback) address in X-Forwarded-For: see fixtures.ts.
			ADDRESS_HEADER: 'x-forwarded-for'
		}
	}
});
