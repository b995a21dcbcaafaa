import type { DataClient } from '../server/db/client.ts';
import { findIdea, ideaCounts, insertIdea, listIdeas, ownInterests, setIdeaActivity, toggleInterest } from './queries.server.ts';
import { log } from '../server/log.ts';

/** A neighbourhood's ideas with their interest, and what this member said. */
export async function ideasOverview(db: DataClient, neighbourhoodId: string, memberId: string | null) {
	const [ideas, counts, mine] = await Promise.all([
		listIdeas(db, neighbourhoodId),
		ideaCounts(db, neighbourhoodId),
		memberId ? ownInterests(db, memberId) : Promise.resolve([])
	]);
	return ideas.map((idea) => {
		const count = counts.find((c) => c.idea_id === idea.id);
		return {
			...idea,
			wouldJoin: count?.would_join ?? 0,
			wouldHost: count?.would_host ?? 0,
			iJoin: mine.some((x) => x.idea_id === idea.id && x.kind === 'join'),
			iHost: mine.some((x) => x.idea_id === idea.id && x.kind === 'host')
		};
	});
}

export async function proposeIdea(db: DataClient, memberId: string, neighbourhoodId: string, idea: { title: string; description: string; kind: string }) {
	try {
		return await insertIdea(db, { ...idea, neighbourhood_id: neighbourhoodId, proposed_by: memberId });
	} catch {
		return null;
	}
}

export { toggleInterest };

/**
 * Links the idea someone took on to the activity they started from it (RLS checks who). The
 * activity exists by now, so a link that fails is only logged: the person still gets to their
 * new activity, and the idea stays open.
 */
export async function linkIdeaToActivity(db: DataClient, ideaId: string, activityId: string) {
	try {
		if (!(await setIdeaActivity(db, ideaId, activityId))) log.warn({ ideaId, activityId }, 'idea not linked: not this person’s to link, or gone');
	} catch (err) {
		log.warn({ err, ideaId, activityId }, 'could not link an idea to the activity started from it');
	}
}

/** An idea not yet taken on, to prefill a new activity with. */
export async function ideaPrefill(db: DataClient, ideaId: string | null) {
	if (!ideaId || !/^[0-9a-f-]{36}$/.test(ideaId)) return null;
	const idea = await findIdea(db, ideaId);
	return idea && !idea.activity_id ? idea : null;
}
