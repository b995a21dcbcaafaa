/**
 * The needs part of the board page: the list and how it patches itself. One chunk, loaded only
 * where the gathering asks for something or for those who run it (routes/g/[id]/+page.ts), or
 * when the first need arrives on an open page.
 */
export { default as GatheringNeeds } from './GatheringNeeds.svelte';
export { applyNeedsChange } from '$lib/offers/need-change';
