/**
 * The app's fixed vocabulary, without any library: pages in the browser import this, so
 * neither zod nor rrule ends up in their scripts.
 */
export const activityKinds = ['shared_dinner', 'themed_evening', 'repair_cafe', 'coffee_morning', 'walk', 'other'] as const;
export type ActivityKind = (typeof activityKinds)[number];

export const costKinds = ['free', 'pay_what_you_can', 'price'] as const;
export type CostKind = (typeof costKinds)[number];

/** Languages an activity can be held in (codes the database accepts). */
export const spokenLanguages = ['nl', 'en', 'ar', 'tr', 'pl', 'uk', 'fr', 'de', 'es', 'so', 'ti', 'fa', 'ber', 'pap', 'zh'] as const;

export const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof weekdays)[number];
export const patterns = ['weekly', 'biweekly', 'monthly', 'once'] as const;
export type Pattern = (typeof patterns)[number];
/** Which weekday of the month: 1st to 4th, or the last (-1). */
export const monthWeeks = [1, 2, 3, 4, -1] as const;
export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

/** Practical help to get to a gathering: met at the door, a ride, childcare. */
export const helpKinds = ['door', 'ride', 'childcare'] as const;
export type HelpKind = (typeof helpKinds)[number];
/** Most people a request covers, and most places an offer gives (the database holds the same). */
export const HELP_MAX_PEOPLE = 6;
export const HELP_MAX_PLACES = 8;
