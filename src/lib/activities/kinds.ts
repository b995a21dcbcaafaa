import type { ActivityKind } from '$lib/activities/vocabulary';
import { m } from '$lib/paraglide/messages';

/** The kind in words; its icon (KindIcon.svelte) never stands without this text. */
export const kindLabel: Record<ActivityKind, () => string> = {
	shared_dinner: m.kind_shared_dinner,
	themed_evening: m.kind_themed_evening,
	repair_cafe: m.kind_repair_cafe,
	coffee_morning: m.kind_coffee_morning,
	walk: m.kind_walk,
	other: m.kind_other
};
