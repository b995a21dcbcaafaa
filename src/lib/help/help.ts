import type { HelpKind } from '$lib/activities/vocabulary';
import { m } from '$lib/paraglide/messages';

/** Practical help in words: the kind (how asking and offering it are said: ./help-details.ts). */
export const helpKindLabel: Record<HelpKind, () => string> = {
	door: m.help_kind_door,
	ride: m.help_kind_ride,
	childcare: m.help_kind_childcare
};
