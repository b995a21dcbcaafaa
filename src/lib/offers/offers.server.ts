import type { NeedForm, NeedsFilter, OfferForm, OrganisationForm } from './offers.ts';
import { needDate, needIsAhead, needMatches } from './offers.ts';
import { shownNeeds } from './need-change.ts';
import { localDate } from '../ui/format.ts';
import type { OfferKind, PledgeStatus } from './offer-vocabulary.ts';
import { topic } from '../realtime/events.ts';
import { canRunActivity, findActivity } from '../activities/activity-queries.server.ts';
import { boardSummary } from '../boards/queries.server.ts';
import { anonDataClient, type DataClient } from '../server/db/client.ts';
import { findGathering } from '../activities/gathering-queries.server.ts';
import { listOwnMemberships } from '../account/member-queries.server.ts';
import { findNeighbourhoodById, findNeighbourhoodBySlug, listNeighbourhoods } from '../agenda/neighbourhood-queries.server.ts';
import {
	createNeed,
	getNeed,
	getOwnOffer,
	inviteOffer,
	invitationsFor,
	listNeeds,
	myPledgeContributions,
	myPledges,
	offersIn,
	ownOffers,
	pledgeContacts,
	saveOffer,
	setOfferStatus,
	suggestedOffers,
	visiblePledges,
	type Need,
	type OfferRefusal
} from './queries.server.ts';
import * as queries from './queries.server.ts';
import { hashSecret, newLinkToken } from '../server/auth/sealing.ts';
import {
	createOrganisation,
	createOrganisationInvite,
	findOrganisationInvite,
	hasActiveOrganisationInvite,
	joinOrganisation,
	revokeOrganisationInvites,
	decideOrganisation,
	getOrganisation,
	getOrganisationContact,
	isOrganisationMember,
	listOrganisationPlaces,
	listOrganisations,
	myOrganisations,
	organisationRecord,
	organisationThanks,
	requestNeighbourhood,
	updateOrganisation
} from '../organisations/queries.server.ts';
import { publish } from '../realtime/attach.server.ts';

// Pages tell an outage (503) from other failures by it.
export { DataError } from '../server/db/client.ts';

/** A need as one viewer may see it: the public figures, and pledges only for givers and hosts. */
export interface NeedView {
	id: string;
	kind: OfferKind;
	title: string;
	details: string;
	quantity: number;
	pledged: number;
	/** How many times a pledge to it was answered (need-change.ts). */
	pledgeAnswers: number;
	left: number;
	languages: string[];
	date: string | null;
	status: 'open' | 'closed';
	activityId: string;
	activityTitle: string;
	gatheringId: string | null;
	neighbourhoodId: string;
	slotId: string | null;
	pledges: PledgeView[];
}

export interface PledgeView {
	id: string;
	giverName: string | null;
	organisationId: string | null;
	organisationName: string | null;
	quantity: number;
	status: PledgeStatus;
	message: string;
	thanks: string | null;
	mine: boolean;
	/** What each side shared; the other side's only once accepted (RLS). */
	giverContact: string | null;
	hostContact: string | null;
}

function viewOf(need: Need): Omit<NeedView, 'pledges'> {
	return {
		id: need.id,
		kind: need.kind,
		title: need.title,
		details: need.details,
		quantity: need.quantity,
		pledged: need.pledged,
		pledgeAnswers: need.pledge_answers,
		left: need.quantity - need.pledged,
		languages: need.languages,
		date: needDate(need),
		status: need.status,
		activityId: need.activity_id,
		activityTitle: need.activity.title,
		gatheringId: need.gathering_id,
		neighbourhoodId: need.neighbourhood_id,
		slotId: need.slot_id
	};
}

async function withPledges(db: DataClient, needs: Need[], memberId: string | null, organisationIds: string[]): Promise<NeedView[]> {
	if (!memberId) return needs.map((n) => ({ ...viewOf(n), pledges: [] }));
	const pledges = await visiblePledges(db, needs.map((n) => n.id));
	const contacts = await pledgeContacts(db, pledges.map((p) => p.id));
	const contactOf = (id: string, side: 'giver' | 'host') => contacts.find((c) => c.pledge_id === id && c.side === side)?.contact ?? null;
	return needs.map((n) => ({
		...viewOf(n),
		pledges: pledges
			.filter((p) => p.need_id === n.id)
			.map((p) => ({
				id: p.id,
				giverName: p.giver_name,
				organisationId: p.organisation_id,
				organisationName: p.organisation_name,
				quantity: p.quantity,
				status: p.status,
				message: p.message,
				thanks: p.thanks,
				mine: p.organisation_id ? organisationIds.includes(p.organisation_id) : p.member_id === memberId,
				giverContact: contactOf(p.id, 'giver'),
				hostContact: contactOf(p.id, 'host')
			}))
	}));
}

/**
 * After a change has committed: the neighbourhood's needs-and-offers page hears it on the
 * neighbourhood topic (figures only, never names).
 */
async function announce(need: { id: string; gathering_id: string | null; neighbourhood_id: string }) {
	const fresh = await getNeed(anonDataClient(), need.id);
	publish(topic.neighbourhood(need.neighbourhood_id), {
		need: fresh ? { id: fresh.id, pledged: fresh.pledged, quantity: fresh.quantity, status: fresh.status } : { id: need.id }
	});
}

// Pages ------------------------------------------------------------------------------------------

/** The needs-and-offers page of a neighbourhood. */
export async function needsAndOffersPage(db: DataClient, slug: string, memberId: string | null, filter: NeedsFilter) {
	const neighbourhood = await findNeighbourhoodBySlug(db, slug);
	if (!neighbourhood) return null;
	const [needs, offers, memberships, organisations, places] = await Promise.all([
		listNeeds(db, { neighbourhoodId: neighbourhood.id, openOnly: true }),
		memberId ? offersIn(db, neighbourhood.id) : Promise.resolve([]),
		memberId ? listOwnMemberships(db, memberId) : Promise.resolve([]),
		memberId ? myOrganisations(db, memberId) : Promise.resolve([]),
		listOrganisationPlaces(db, { neighbourhoodId: neighbourhood.id })
	]);
	const membership = memberships.find((x) => x.neighbourhood_id === neighbourhood.id) ?? null;
	const coordinator = membership?.role === 'coordinator';
	// Today where the neighbourhood is: around midnight the UTC date is another day.
	const today = localDate(new Date(), neighbourhood.time_zone);
	const shown = needs
		.filter((n) => needIsAhead(n, today))
		.filter((n) => needMatches({ kind: n.kind, date: needDate(n) }, filter));
	const placeOrgs = await listOrganisations(db, [...new Set(places.map((p) => p.organisation_id))]);
	return {
		neighbourhood,
		needs: (await withPledges(db, shown, memberId, organisations.map((o) => o.id))).sort((a, b) => (a.date ?? '9999').localeCompare(b.date ?? '9999')),
		offers: offers.filter((o) => !filter.kind || o.kind === filter.kind),
		isMember: Boolean(membership),
		coordinator,
		organisations: places
			.map((p) => ({ ...p, organisation: placeOrgs.find((o) => o.id === p.organisation_id) ?? null }))
			.filter((p) => p.organisation && (p.status === 'approved' || coordinator))
	};
}

/** The open needs of one gathering and of its whole activity, as the gathering page shows them (and patches them live: need-change.ts). */
export async function gatheringNeeds(db: DataClient, gathering: { id: string; activity_id: string }, memberId: string | null) {
	const [own, ofActivity, organisations] = await Promise.all([
		listNeeds(db, { gatheringId: gathering.id }),
		listNeeds(db, { activityId: gathering.activity_id, openOnly: true }),
		memberId ? myOrganisations(db, memberId) : Promise.resolve([])
	]);
	const needs = [...own.filter((n) => n.status === 'open'), ...ofActivity.filter((n) => !n.gathering_id)];
	return shownNeeds(await withPledges(db, needs, memberId, organisations.map((o) => o.id)));
}

/** One need with what the viewer may do about it. */
export async function needPage(db: DataClient, needId: string, memberId: string | null) {
	const need = await getNeed(db, needId);
	if (!need) return null;
	const [neighbourhood, runsIt, organisations, memberships] = await Promise.all([
		findNeighbourhoodById(db, need.neighbourhood_id),
		memberId ? canRunActivity(db, need.activity_id) : Promise.resolve(false),
		memberId ? myOrganisations(db, memberId) : Promise.resolve([]),
		memberId ? listOwnMemberships(db, memberId) : Promise.resolve([])
	]);
	if (!neighbourhood) return null;
	const places = organisations.length ? await listOrganisationPlaces(db, { neighbourhoodId: need.neighbourhood_id }) : [];
	const [view] = await withPledges(db, [need], memberId, organisations.map((o) => o.id));
	return {
		need: view!,
		neighbourhood,
		runsIt,
		isMember: memberships.some((x) => x.neighbourhood_id === need.neighbourhood_id),
		// Organisations this person may pledge for here: those approved in this neighbourhood.
		actingFor: organisations
			.filter((o) => places.some((p) => p.organisation_id === o.id && p.status === 'approved'))
			.map((o) => ({ id: o.id, name: o.name })),
		suggestions: runsIt && need.status === 'open' ? await suggestedOffers(db, need.id) : []
	};
}

/**
 * What a host asks help for: the activity (the gathering's, when one is named), whether this
 * member runs it, and for "ask for help with this slot" the slot as the board shows it now.
 */
export async function newNeedPage(db: DataClient, ask: { activity: string | null; gathering: string | null; slot: string | null }) {
	const gathering = ask.gathering ? await findGathering(db, ask.gathering) : null;
	const activityId = gathering?.activity_id ?? ask.activity;
	const activity = activityId ? await findActivity(db, activityId) : null;
	if (!activity) return null;
	// The page is refused to anyone else, so their board is not read.
	if (!(await canRunActivity(db, activity.id))) return { activity, gathering, runsIt: false, slot: null };
	// "Ask for help with this slot": what is still missing on the board, prefilled.
	const slot = gathering && ask.slot ? ((await boardSummary(db, gathering.id)).slots.find((s) => s.id === ask.slot) ?? null) : null;
	return { activity, gathering, runsIt: true, slot };
}

/** The member's own offers, invitations to them, pledges and what they gave. */
export async function myOffersPage(db: DataClient, memberId: string) {
	const organisations = await myOrganisations(db, memberId);
	const [offers, pledges, contributions, memberships] = await Promise.all([
		ownOffers(db, memberId, organisations.map((o) => o.id)),
		myPledges(db),
		myPledgeContributions(db),
		listOwnMemberships(db, memberId)
	]);
	return { organisations, offers, invitations: await invitationsFor(db, offers.map((o) => o.id)), pledges, contributions, memberships };
}

/** What the signed-in member gave through delivered pledges, with the latest thanks. */
export { myPledgeContributions } from './queries.server.ts';

/** An offer's edit form: the offer, the form's choices, and whether this member may change it; null if there is none. */
export async function offerEditPage(db: DataClient, memberId: string, offerId: string) {
	const offer = await getOwnOffer(db, offerId);
	if (!offer) return null;
	const choices = await offerFormChoices(db, memberId);
	// Only the giver (or their organisation) edits; others may see the offer but not change it.
	const mayEdit = offer.member_id === memberId || choices.organisations.some((o) => o.id === offer.organisation_id);
	return { offer, choices, mayEdit };
}

/** A new organisation's choice of neighbourhoods, with the one it came from (by slug) already chosen. */
export async function newOrganisationPage(db: DataClient, presetSlug: string | null) {
	const neighbourhoods = await listNeighbourhoods(db);
	const preset = neighbourhoods.find((n) => n.slug === presetSlug)?.id ?? '';
	return { neighbourhoods: neighbourhoods.map((n) => ({ id: n.id, name: n.name })), preset };
}

/** Neighbourhoods an organisation may still ask to work in: where it has no place yet, or was declined. */
export async function neighbourhoodsToRequest(db: DataClient, places: { neighbourhood_id: string; status: string }[]) {
	const neighbourhoods = (await listNeighbourhoods(db)).filter((n) => !places.some((p) => p.neighbourhood_id === n.id && p.status !== 'declined'));
	return neighbourhoods.map((n) => ({ id: n.id, name: n.name }));
}

export async function organisationPage(db: DataClient, id: string, memberId: string | null, year: number) {
	const organisation = await getOrganisation(db, id);
	if (!organisation) return null;
	const [contact, places, record, isMember, memberships] = await Promise.all([
		memberId ? getOrganisationContact(db, id) : Promise.resolve(null),
		listOrganisationPlaces(db, { organisationId: id }),
		organisationRecord(db, id, year),
		memberId ? isOrganisationMember(db, id) : Promise.resolve(false),
		memberId ? listOwnMemberships(db, memberId) : Promise.resolve([])
	]);
	return {
		organisation,
		contact,
		places,
		record,
		isMember,
		thanks: isMember ? await organisationThanks(db, id) : [],
		memberships
	};
}

// Changes --------------------------------------------------------------------------------------

export async function postNeed(db: DataClient, memberId: string, form: NeedForm) {
	const need = await createNeed(db, memberId, form);
	if (need) await announce(need);
	return need;
}

export async function changeNeed(db: DataClient, needId: string, changes: { status?: 'open' | 'closed'; quantity?: number }) {
	const result = await queries.changeNeed(db, needId, changes);
	if (result.ok) await announce(result.need);
	return result;
}

export async function pledgeToNeed(
	db: DataClient,
	input: { need: string; quantity: number; organisation: string | null; offer: string | null; message: string; contact: string }
): Promise<{ ok: true; id: string } | { ok: false; refusal: OfferRefusal; left?: number }> {
	const result = await queries.pledgeToNeed(db, input);
	if (result.ok) {
		const need = await getNeed(anonDataClient(), input.need);
		if (need) await announce(need);
	}
	return result;
}

export async function setPledgeStatus(db: DataClient, pledgeId: string, step: 'accepted' | 'declined' | 'delivered' | 'withdrawn', contact = '') {
	const result = await queries.setPledgeStatus(db, pledgeId, step, contact);
	if (result.ok) await announce({ id: result.need_id, gathering_id: result.gathering_id, neighbourhood_id: result.neighbourhood_id });
	return result;
}

/** Thanks a giver on a need; null if there is no such need (for this person). */
export async function thankPledge(db: DataClient, needId: string, pledgeId: string, text: string) {
	const need = await getNeed(db, needId);
	if (!need) return null;
	const result = await queries.thankPledge(db, pledgeId, text);
	if (result.ok) await announce(need);
	return result;
}

export { inviteOffer };

export async function saveOfferFor(db: DataClient, id: string | null, form: OfferForm) {
	const result = await saveOffer(db, id, form);
	if (result.ok) for (const nb of form.neighbourhoods) publish(topic.neighbourhood(nb), { offer: { id: result.id } });
	return result;
}

export async function changeOfferStatus(db: DataClient, id: string, status: 'active' | 'paused' | 'withdrawn', neighbourhoodIds: string[]) {
	const ok = await setOfferStatus(db, id, status);
	if (ok) for (const nb of neighbourhoodIds) publish(topic.neighbourhood(nb), { offer: { id } });
	return ok;
}

/** Pauses, resumes or withdraws an offer; false if there is none or it is not this member's to change. */
export async function changeOwnOfferStatus(db: DataClient, offerId: string, status: 'active' | 'paused' | 'withdrawn') {
	const offer = await getOwnOffer(db, offerId);
	if (!offer) return false;
	return changeOfferStatus(db, offer.id, status, offer.offer_neighbourhood.map((x) => x.neighbourhood_id));
}

export async function startOrganisation(db: DataClient, form: OrganisationForm) {
	return createOrganisation(db, form, form.neighbourhoods);
}

export { decideOrganisation, requestNeighbourhood, updateOrganisation };

/** What the offer form offers to choose from: the member's neighbourhoods and their organisations' places. */
export async function offerFormChoices(db: DataClient, memberId: string) {
	const [memberships, organisations] = await Promise.all([listOwnMemberships(db, memberId), myOrganisations(db, memberId)]);
	const places = (
		await Promise.all(organisations.map((o) => listOrganisationPlaces(db, { organisationId: o.id })))
	).flat().filter((p) => p.status !== 'declined');
	const neighbourhoods = new Map<string, { id: string; name: string; slug: string }>();
	for (const x of memberships) neighbourhoods.set(x.neighbourhood_id, { id: x.neighbourhood_id, ...x.neighbourhood });
	for (const p of places) if (p.neighbourhood) neighbourhoods.set(p.neighbourhood_id, { id: p.neighbourhood_id, ...p.neighbourhood });
	return { neighbourhoods: [...neighbourhoods.values()], organisations: organisations.map((o) => ({ id: o.id, name: o.name })), memberOf: memberships.map((x) => x.neighbourhood_id) };
}

/** A colleague link for an organisation: the token is shown once; only its hash is stored. */
export async function inviteColleague(db: DataClient, organisationId: string): Promise<string | null> {
	const token = newLinkToken();
	return (await createOrganisationInvite(db, organisationId, hashSecret(token))) ? token : null;
}

export async function colleagueInvite(db: DataClient, token: string) {
	return findOrganisationInvite(db, hashSecret(token));
}

export async function joinAsColleague(db: DataClient, token: string) {
	return joinOrganisation(db, hashSecret(token));
}

export { hasActiveOrganisationInvite, revokeOrganisationInvites };
