import type { ActivityKind } from '$lib/domain/agenda';
import { m } from '$lib/paraglide/messages';

/** Every kind has an icon, and an icon never stands without its text. */
export const kindIcon: Record<ActivityKind, string> = {
	shared_dinner: '🍲',
	themed_evening: '💬',
	repair_cafe: '🔧',
	coffee_morning: '☕',
	walk: '🚶',
	other: '✨'
};

export const kindLabel: Record<ActivityKind, () => string> = {
	shared_dinner: m.kind_shared_dinner,
	themed_evening: m.kind_themed_evening,
	repair_cafe: m.kind_repair_cafe,
	coffee_morning: m.kind_coffee_morning,
	walk: m.kind_walk,
	other: m.kind_other
};
