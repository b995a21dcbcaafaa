import { storedScheduleOf, type ActivitySummary } from './activity.ts';
import type { ActivityForm } from '../activities/schemas.ts';
import { localToInstant, occurrences, toStoredSchedule, type StoredSchedule } from './recurrence.ts';
import {
	canRunActivity,
	changeHosts,
	cohostCandidates,
	findActivity,
	insertActivity,
	listActiveActivities,
	listHosts,
	saveGatherings,
	updateActivity
} from './activity-queries.server.ts';
import { serviceDataClient, type DataClient } from '../server/db/client.ts';
import { findGathering, insertExtraGathering, listUpcomingGatherings, updateGathering } from './gathering-queries.server.ts';
import { findNeighbourhoodById } from '../agenda/neighbourhood-queries.server.ts';
import { agendaMarks } from '../agenda/agenda.ts';
import { listMyPlans, listPlacesLeft } from '../boards/queries.server.ts';
import { listOwnMemberships } from '../account/member-queries.server.ts';

// Pages tell an outage (503) from other failures by it.
import { activityDescription, kindLine } from './page-description.ts';
import { getLocale } from '../paraglide/runtime.js';
import { gatheringWhen } from '../ui/format.ts';
export { DataError } from '../server/db/client.ts';

/** An activity's page: what, where, cost, who hosts, the next dates; and what its host may do. */
export async function activityPage(db: DataClient, activityId: string, memberId: string | null, now = new Date()) {
	const [page, mine, memberships] = await Promise.all([
		activityParts(db, activityId, now),
		memberId ? listMyPlans(db, now) : [],
		memberId ? listOwnMemberships(db, memberId) : []
	]);
	if (!page) return null;
	const open = page.activity.capacity === null ? [] : page.upcoming.filter((g) => g.status === 'scheduled');
	return {
		...page,
		// Each date shows how full it is and whether this person goes, as on the agenda.
		marks: agendaMarks(page.upcoming, await listPlacesLeft(db, open.map((g) => g.id)), mine),
		// Signed in but not (yet) of this neighbourhood: they join right here.
		memberHere: memberships.some((x) => x.neighbourhood_id === page.neighbourhood.id)
	};
}

async function activityParts(db: DataClient, activityId: string, now: Date) {
	const activity = await findActivity(db, activityId);
	if (!activity) return null;
	const [neighbourhood, hosts, upcoming, canRun] = await Promise.all([
		findNeighbourhoodById(db, activity.neighbourhood_id),
		listHosts(db, activity.id),
		listUpcomingGatherings(db, { activityId: activity.id }, { from: now, limit: 6 }),
		canRunActivity(db, activity.id)
	]);
	if (!neighbourhood) return null;
	return {
		activity,
		description: activityDescription(activity),
		neighbourhood,
		hosts,
		upcoming,
		canRun,
		candidates: canRun ? await cohostCandidates(db, activity.id) : []
	};
}

/** An activity for its host's edit form, and whether this member may run it; null if there is none. */
export async function activityToEdit(db: DataClient, activityId: string) {
	const activity = await findActivity(db, activityId);
	if (!activity) return null;
	return { activity, canRun: await canRunActivity(db, activityId) };
}

function columnsOf(form: ActivityForm, schedule: StoredSchedule) {
	return {
		title: form.title,
		kind: form.kind,
		description: form.description,
		place_name: form.place_name,
		place_address: form.place_address,
		map_url: form.map_url || null,
		accessibility_notes: form.accessibility_notes,
		what_to_bring: form.what_to_bring,
		languages: form.languages,
		wheelchair_accessible: form.wheelchair_accessible,
		hearing_loop: form.hearing_loop,
		quiet_space: form.quiet_space,
		child_friendly: form.child_friendly,
		capacity: form.capacity,
		first_timer_places: form.first_timer_places,
		first_timer_release_hours: form.first_timer_release_hours,
		cost_kind: form.cost_kind,
		price_cents: form.price_cents,
		meal_included: form.meal_included,
		schedule_rrule: schedule.rrule,
		schedule_starts_at: schedule.startsAtLocal,
		schedule_time_zone: schedule.timeZone,
		duration_minutes: schedule.durationMinutes,
		schedule_until: schedule.until
	};
}

/** Keeps the series' gatherings materialised from now on; reports what it could not remove. */
function syncSeries(db: DataClient, activityId: string, schedule: StoredSchedule | null, now = new Date()) {
	return saveGatherings(db, activityId, schedule ? occurrences(schedule, { from: now }) : [], now);
}

/** Starts an activity; the member becomes its host (RLS: only in their own neighbourhood). */
export async function createActivity(db: DataClient, memberId: string, neighbourhoodId: string, form: ActivityForm) {
	const schedule = toStoredSchedule(form);
	const id = await insertActivity(db, { ...columnsOf(form, schedule), neighbourhood_id: neighbourhoodId, created_by: memberId });
	await syncSeries(db, id, schedule);
	return id;
}

/**
 * Saves an activity. Gatherings that left the series are removed unless they were changed on
 * their own, are extra dates, or (from the boards on) have sign-ups: those are returned.
 */
export async function saveActivity(db: DataClient, activityId: string, form: ActivityForm) {
	const schedule = toStoredSchedule(form);
	if (!(await updateActivity(db, activityId, columnsOf(form, schedule)))) return null;
	const activity = await findActivity(db, activityId);
	return syncSeries(db, activityId, activity?.status === 'active' ? schedule : null);
}

export async function setActivityStatus(db: DataClient, activityId: string, status: ActivitySummary['status']) {
	if (!(await updateActivity(db, activityId, { status }))) return false;
	const activity = await findActivity(db, activityId);
	if (activity) await syncSeries(db, activityId, status === 'active' ? storedScheduleOf(activity) : null);
	return true;
}

export { changeHosts };

/** Keeps every running series materialised twelve weeks ahead (run daily, service role). */
export async function refreshAllSeries(now = new Date()) {
	const service = serviceDataClient();
	let added = 0;
	for (const activity of await listActiveActivities(service)) {
		added += (await syncSeries(service, activity.id, storedScheduleOf(activity), now)).added;
	}
	return added;
}

// One gathering -----------------------------------------------------------------------

export async function gatheringPage(db: DataClient, gatheringId: string, memberId: string | null = null) {
	const gathering = await findGathering(db, gatheringId);
	if (!gathering) return null;
	const [page, memberships] = await Promise.all([activityParts(db, gathering.activity_id, new Date()), memberId ? listOwnMemberships(db, memberId) : []]);
	if (!page) return null;
	// Signed in but not (yet) of this neighbourhood, from a forwarded link: they join right here.
	const memberHere = memberships.some((x) => x.neighbourhood_id === page.neighbourhood.id);
	const locale = getLocale();
	const when = gatheringWhen(gathering.starts_at, gathering.ends_at, locale, page.activity.schedule_time_zone);
	return { gathering, ...page, kindLine: kindLine(page.activity, locale), when, memberHere };
}

export function cancelGathering(db: DataClient, gatheringId: string, reason: string) {
	return updateGathering(db, gatheringId, { status: 'cancelled', cancellation_reason: reason });
}

export function restoreGathering(db: DataClient, gatheringId: string) {
	return updateGathering(db, gatheringId, { status: 'scheduled', cancellation_reason: null });
}

export interface NewTime {
	date: string;
	start_time: string;
	end_time: string;
	place_name: string;
	place_address: string;
}

function instants(time: NewTime, timeZone: string) {
	return {
		starts_at: localToInstant(time.date, time.start_time, timeZone).toISOString(),
		ends_at: localToInstant(time.date, time.end_time, timeZone).toISOString(),
		place_name: time.place_name || null,
		place_address: time.place_address || null
	};
}

/** Moves one gathering (time or place) without touching the series. */
export function moveGathering(db: DataClient, gatheringId: string, time: NewTime, timeZone: string) {
	return updateGathering(db, gatheringId, instants(time, timeZone));
}

/** Adds an extra date outside the series. */
export async function addExtraDate(db: DataClient, activity: ActivitySummary, time: NewTime) {
	try {
		return await insertExtraGathering(db, { activity_id: activity.id, ...instants(time, activity.schedule_time_zone) });
	} catch {
		return null;
	}
}

/** Adds an extra date to the activity with this id; null if there is none or it is not this member's to add. */
export async function addExtraDateTo(db: DataClient, activityId: string, time: NewTime) {
	const activity = await findActivity(db, activityId);
	return activity ? addExtraDate(db, activity, time) : null;
}
