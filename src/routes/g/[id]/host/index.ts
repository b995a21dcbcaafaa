/** The gathering page's tools for those who run the activity: one chunk, loaded only for them. */
export { default as GatheringHostTools } from './GatheringHostTools.svelte';
export { default as HelpForHosts } from './HelpForHosts.svelte';
