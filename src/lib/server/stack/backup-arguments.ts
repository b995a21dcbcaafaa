import { z } from 'zod';

const archive = z
	.string()
	.min(1)
	.regex(/\.tar\.gz$/, 'the backup file name must end in .tar.gz');

/** `npm run backup [-- <file>]`: at most one argument, a .tar.gz path; dated by default. */
export function backupArguments(args: string[], now: Date) {
	const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
	const parsed = z.tuple([archive]).or(z.tuple([])).safeParse(args);
	if (!parsed.success) throw new Error(`Usage: npm run backup [-- <file>.tar.gz] (${parsed.error.issues[0]?.message})`);
	return { file: parsed.data[0] ?? `backups/buurtbord-${stamp}.tar.gz` };
}

/** `npm run restore -- <file>`: exactly one .tar.gz path. */
export function restoreArguments(args: string[]) {
	const usage = 'Usage: npm run restore -- <file>.tar.gz';
	if (args.length !== 1) throw new Error(`${usage} (exactly one backup file)`);
	const parsed = archive.safeParse(args[0]);
	if (!parsed.success) throw new Error(`${usage} (${parsed.error.issues[0]?.message})`);
	return { file: parsed.data };
}
