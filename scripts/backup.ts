/**
 * `npm run backup [-- <file>]`: a backup of the embedded database and its secrets, while the
 * app runs or not. Default file: backups/buurtbord-<date>.tar.gz.
 */
import { resolve } from 'node:path';
import { ConfigError, parseConfig } from '../src/lib/server/config.ts';
import { backupEmbeddedDatabase } from '../src/lib/server/stack/backup.ts';
import { backupArguments } from '../src/lib/server/stack/backup-arguments.ts';

try {
	const config = parseConfig(process.env);
	if (config.DATABASE_URL || config.SUPABASE_URL) {
		throw new ConfigError('npm run backup is for the embedded database. With DATABASE_URL or SUPABASE_URL, use pg_dump or your provider’s backups (see README).');
	}
	const { file } = backupArguments(process.argv.slice(2), new Date());
	const report = await backupEmbeddedDatabase(resolve(config.BUURTBORD_DATA_DIR), resolve(file));
	console.log(`Backup written: ${report.file} (${(report.bytes / 1024 / 1024).toFixed(1)} MB, database as of ${report.finishedAt}, WAL ${report.stopLsn}).`);
	console.log('It holds the database password and secrets: keep it as safe as the data itself.');
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}
