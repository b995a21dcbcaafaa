import { z } from 'zod';
import { boardHelpSchema, type BoardHelp } from './schemas.ts';
import { refusalOf, type BoardRefusal } from '../forms/refusals.ts';
import type { HelpKind } from '../activities/vocabulary.ts';
import { DataError, unwrap, type DataClient } from '../server/db/client.ts';

/** Practical help on a board: counts for everyone, names as board_help allows. */
export async function boardHelp(db: DataClient, gatheringId: string): Promise<BoardHelp> {
	return boardHelpSchema.parse(unwrap('boardHelp', await db.rpc('board_help', { p_gathering: gatheringId })));
}

/** Asks for help or offers it (amount 0 withdraws); ask_or_offer_help matches under the gathering's lock. */
export async function askOrOfferHelp(
	db: DataClient,
	gatheringId: string,
	help: { side: 'ask' | 'offer'; kind: HelpKind; amount: number; note: string }
): Promise<{ ok: true; matched: boolean } | { ok: false; refusal: BoardRefusal }> {
	const { data, error } = await db.rpc('ask_or_offer_help', {
		p_gathering: gatheringId,
		p_side: help.side,
		p_kind: help.kind,
		p_amount: help.amount,
		p_note: help.note
	});
	if (error) {
		const refusal = refusalOf(error, 'board');
		if (refusal) return { ok: false, refusal };
		throw new DataError('askOrOfferHelp', error.code, error.message);
	}
	return { ok: true, matched: z.object({ matched: z.boolean() }).parse(data).matched };
}
