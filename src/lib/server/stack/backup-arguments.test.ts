import { describe, expect, it } from 'vitest';
import { backupArguments, restoreArguments } from './backup-arguments.ts';

describe('backup and restore arguments', () => {
	it('dates the default backup file', () => {
		expect(backupArguments([], new Date('2026-11-22T16:05:09Z')).file).toBe('backups/buurtbord-2026-11-22-16-05-09.tar.gz');
	});
	it('takes one .tar.gz path', () => {
		expect(backupArguments(['/srv/b.tar.gz'], new Date()).file).toBe('/srv/b.tar.gz');
		expect(restoreArguments(['b.tar.gz']).file).toBe('b.tar.gz');
	});
	it('refuses other names, several files, or no file to restore', () => {
		expect(() => backupArguments(['b.zip'], new Date())).toThrow(/\.tar\.gz/);
		expect(() => backupArguments(['a.tar.gz', 'b.tar.gz'], new Date())).toThrow(/Usage/);
		expect(() => restoreArguments([])).toThrow(/Usage: npm run restore/);
	});
});
