import { appendFile, mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';

/** One figure of one benchmark, as a line of bench-results/latest.jsonl. */
export interface Figure {
	bench: string;
	metric: string;
	value: number;
	unit: string;
	target?: string;
	/** Whether the figure meets its target (printed as met / NOT MET). */
	met?: boolean;
}

const RESULTS = 'bench-results/latest.jsonl';

export async function record(figures: Figure[]) {
	await mkdir('bench-results', { recursive: true });
	const at = new Date().toISOString();
	const cores = availableParallelism();
	const lines = figures.map((f) => JSON.stringify({ ...f, cores, at }));
	await appendFile(RESULTS, lines.join('\n') + '\n');
	for (const f of figures) {
		const value = Number.isInteger(f.value) ? f.value : f.value.toFixed(2);
		console.log(`  ${f.bench.padEnd(14)} ${f.metric.padEnd(30)} ${String(value).padStart(10)} ${f.unit}${f.target ? `  (target ${f.target}${f.met === undefined ? '' : f.met ? ': met' : ': NOT MET'})` : ''}`);
	}
}
