import { afterAll, describe, expect, inject, it } from 'vitest';
import { resilientPool } from '../../src/lib/server/pg-pool.ts';
import { adminDb, closeAdminDb } from './fixtures.ts';

/**
 * A connection that PostgreSQL ends (as at a restart: "terminating connection due to
 * administrator command") must neither end the process nor cost the pool a place.
 */
afterAll(closeAdminDb);

describe('resilientPool', () => {
	it('survives a held (LISTEN) connection being cut, gives its place back, and serves the next query', async () => {
		const pool = resilientPool({ label: 'test', connectionString: inject('stackEnv').DATABASE_URL, max: 1 });
		try {
			const listener = await pool.connect();
			await listener.query('listen buurtbord_test');
			const { rows } = await listener.query<{ pid: number }>('select pg_backend_pid() as pid');
			const ended = new Promise((resolve) => listener.once('end', resolve));
			await adminDb().query('select pg_terminate_backend($1)', [rows[0]!.pid]);
			await ended;
			// The only place in the pool was the one held: it must be free again.
			const { rows: after } = await pool.query<{ one: number }>('select 1 as one');
			expect(after[0]!.one).toBe(1);
			expect(pool.totalCount).toBeLessThanOrEqual(1);
			// Releasing again (as socket.io's adapter does on close) is harmless.
			listener.release();
		} finally {
			await pool.end();
		}
	});

	it('an idle connection that is cut is dropped quietly and replaced', async () => {
		const pool = resilientPool({ label: 'test', connectionString: inject('stackEnv').DATABASE_URL, max: 1 });
		try {
			const { rows } = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
			await adminDb().query('select pg_terminate_backend($1)', [rows[0]!.pid]);
			await new Promise((resolve) => setTimeout(resolve, 100));
			const { rows: again } = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
			expect(again[0]!.pid).not.toBe(rows[0]!.pid);
		} finally {
			await pool.end();
		}
	});
});
