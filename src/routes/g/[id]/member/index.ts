/**
 * The board page's forms for signed-in people: one chunk, loaded only for them (see
 * routes/g/[id]/+page.ts), so a visitor, who is invited to join instead, never downloads them.
 */
export { default as BoardNotices } from './BoardNotices.svelte';
export { default as RespondForm } from './RespondForm.svelte';
export { default as SlotForm } from './SlotForm.svelte';
export { default as BringAlongForm } from './BringAlongForm.svelte';
export { default as TakeOffBrought } from './TakeOffBrought.svelte';
export { default as HelpForMembers } from './HelpForMembers.svelte';
export { boardFormError } from '$lib/boards/board-errors';
export { personalPart } from '$lib/boards/board-personal';

export type MemberForms = typeof import('./index');
