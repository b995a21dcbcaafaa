/**
 * One vocabulary of realtime topics: `<aggregate>:<uuid>`. A page watches the topic of what
 * it shows; services publish to the topic of what changed, after the transaction commits,
 * with a payload shaped like that page's `load` result.
 */
export const topicKinds = ['neighbourhood', 'activity', 'gathering'] as const;
export type TopicKind = (typeof topicKinds)[number];
export type Topic = `${TopicKind}:${string}`;

export const topic = {
	neighbourhood: (id: string): Topic => `neighbourhood:${id}`,
	activity: (id: string): Topic => `activity:${id}`,
	gathering: (id: string): Topic => `gathering:${id}`
};

/** Client → server events (validated by realtime-schemas.ts on the server). */
export interface WatchRequest {
	topic: Topic;
}

/** Server → client events. */
export interface PresenceEvent {
	topic: Topic;
	/** How many open pages are watching this topic right now. */
	looking: number;
}

export type WatchAck = { ok: true } | { ok: false; error: 'invalid_request' };

export const clientEvents = { watch: 'watch', unwatch: 'unwatch' } as const;
export const serverEvents = { presence: 'presence', changed: 'changed' } as const;
