import fc from 'fast-check';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { z } from 'zod';
import { respondFormSchema, bringAlongFormSchema, takeOffBroughtFormSchema, slotFormSchema, feedbackFormSchema } from '../../src/lib/boards/board.ts';
import { helpFormSchema } from '../../src/lib/help/schemas.ts';
import { reminderFormSchema } from '../../src/lib/reminders/schemas.ts';
import { parseForm } from '../../src/lib/forms/forms.ts';
import { activityFormSchema, cancelFormSchema, moveFormSchema } from '../../src/lib/activities/schemas.ts';
import { emailFormSchema, profileFormSchema } from '../../src/lib/account/schemas.ts';
import { ideaFormSchema } from '../../src/lib/ideas/schemas.ts';
import { inviteFormSchema, joinFormSchema } from '../../src/lib/joining/schemas.ts';
import { generateInviteCode } from '../../src/lib/joining/invite-code.ts';
import {
	decideOrganisationFormSchema,
	inviteOfferFormSchema,
	needFormSchema,
	needQuantityFormSchema,
	needStatusFormSchema,
	offerFormSchema,
	offerStatusFormSchema,
	organisationFormSchema,
	pledgeFormSchema,
	pledgeStepFormSchema,
	thankFormSchema
} from '../../src/lib/offers/offers.ts';
import { hashSecret, seal } from '../../src/lib/server/auth/sealing.ts';
import { refreshAllSeries } from '../../src/lib/activities/activities.server.ts';
import { propertySeed } from '../support/property-seed.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import {
	RUNS,
	Tally,
	anyHostile,
	body,
	decodeDevalue,
	errorTextsInHtml,
	fieldValues,
	hostileDate,
	hostileId,
	hostileNumber,
	hostileRrule,
	hostileText,
	hostileTime,
	hostileTimeZone,
	isTranslatedKey,
	isTranslatedText,
	transport,
	type Transport
} from '../support/hostile.ts';
import { adminDb, closeAdminDb, createActivityWithGatherings, createMember, createNeighbourhood } from './fixtures.ts';

/**
 * Hostile input against the built server over HTTP (the production server in its own process,
 * on this run's stack). Every form action, every endpoint that takes input and every socket
 * event gets generated garbage; each answer must be a 4xx (or a re-rendered page) with a
 * translated message, never a 5xx, and the database must be unchanged unless the input was
 * valid by the action's own zod schema.
 *
 * Not compared (they change on any request): `member.last_seen_at`, and in `identity` only
 * `user` is compared (sessions, rate-limit buckets and verifications change by design).
 *
 * Needs `build/` (`npx vite build`). `HOSTILE_RUNS=200` for a longer run.
 */

let server: ServerProcess;
let dataDir: string;
const tally = new Tally();
const socketTally = { tried: 0, refused: 0, ackedOk: 0, disconnected: 0 };

type Person = { id: string; cookie: string };
let member: Person;
let host: Person;
let address = 0;
/** A fresh address per request: rate limits count per address and must not decide the answers. */
const nextAddress = () => `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address++ & 255}`;

const ids = {} as {
	home: string;
	homeSlug: string;
	other: string;
	otherSlug: string;
	activity: string;
	gathering: string;
	slot: string;
	need: string;
	offer: string;
	organisation: string;
	pledge: string;
	idea: string;
	invite: string;
	otherActivity: string;
	otherGathering: string;
	otherNeed: string;
	otherPledge: string;
	otherOrganisation: string;
	otherIdea: string;
	brought: string;
	otherSlot: string;
	otherInvite: string;
	otherMember: string;
};
let inviteCode: string;

/** Ids of another neighbourhood: what a forged form would carry. */
const foreign = () => [ids.otherActivity, ids.otherGathering, ids.otherNeed, ids.otherPledge, ids.otherOrganisation, ids.otherIdea, ids.otherSlot, ids.other, ids.otherMember, ids.otherInvite];

// ---------------------------------------------------------------------------------------------
// The inventory: every form action and endpoint that takes input. A test below scans src/routes
// and fails when one exists that is not listed here.
// ---------------------------------------------------------------------------------------------

type Who = 'member' | 'host' | 'visitor';
type Field = [name: string, values: () => fc.Arbitrary<string>];
interface ActionCase {
	route: string;
	action: string;
	as: Who;
	/** The path, with ids filled in (mostly the real ones, sometimes hostile). */
	path: () => fc.Arbitrary<string>;
	fields: Field[];
	/** Valid by this schema ⇒ may change the database; invalid ⇒ must not. */
	schema?: z.ZodType;
	/** Fields the route sets from the path before validating. */
	fromPath?: (path: string) => Record<string, string>;
	/** Values that must never be sent because they would end the test's own fixtures. */
	never?: (fields: [string, string | Blob][]) => boolean;
}

const oneOf = (...values: string[]) => () => fc.constantFrom(...values);
const mixed = (...valid: string[]) => () => (valid.length ? fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...valid) }, { weight: 3, arbitrary: anyHostile }) : anyHostile);
const text = () => fc.oneof(hostileText, fc.constantFrom('Soep', 'Koffie en koek'));
const num = () => fc.oneof({ weight: 3, arbitrary: hostileNumber }, { weight: 1, arbitrary: fc.constantFrom('1', '2', '3') });
const date = () => fc.oneof({ weight: 3, arbitrary: hostileDate }, { weight: 1, arbitrary: fc.constantFrom('2030-03-12', '2030-03-31') });
const time = () => fc.oneof(hostileTime, fc.constantFrom('18:00', '20:30'));
const idOr = (...valid: (() => string)[]) => () =>
	fc.oneof({ weight: 3, arbitrary: hostileId(foreign()) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: valid.length - 1 }).map((i) => valid[i]!()) });
/** Mostly the real record; sometimes the same kind of record in another neighbourhood, or garbage. */
const pathWith = (template: (id: string) => string, real: () => string, theirs?: () => string) => () =>
	fc.oneof(
		{ weight: 4, arbitrary: fc.constant(null).map(() => template(real())) },
		{ weight: 1, arbitrary: fc.constant(null).map(() => template(theirs?.() ?? real())) },
		{ weight: 1, arbitrary: hostileId(foreign()).map((id) => template(encodeURIComponent(id))) }
	);
const slugPath = (template: (slug: string) => string) => () =>
	fc.oneof(
		{ weight: 4, arbitrary: fc.constant(null).map(() => template(ids.homeSlug)) },
		{ weight: 1, arbitrary: fc.constantFrom('nope', '%00', 'a'.repeat(300), '...', '%E2%80%AE').map((s) => template(s)) },
		{ weight: 1, arbitrary: fc.constant(null).map(() => template(ids.otherSlug)) }
	);
const fixed = (path: string) => () => fc.constant(path);

const scheduleFields: Field[] = [
	['pattern', () => fc.oneof(hostileRrule, fc.constantFrom('weekly', 'biweekly', 'monthly', 'once'))],
	['weekday', () => fc.oneof(hostileRrule, fc.constantFrom('MO', 'TU', 'SU'))],
	['month_week', () => fc.oneof(hostileRrule, hostileNumber, fc.constantFrom('1', '-1'))],
	['start_date', date],
	['start_time', time],
	['end_time', time],
	['until', () => fc.oneof(hostileDate, fc.constant(''))],
	['time_zone', () => fc.oneof(hostileTimeZone, fc.constant('Europe/Amsterdam'))]
];
const activityFields: Field[] = [
	['title', text],
	['kind', mixed('shared_dinner', 'walk')],
	['description', text],
	['place_name', text],
	['place_address', text],
	['map_url', () => fc.oneof(hostileText, fc.constantFrom('javascript:alert(1)', 'https://example.org/"><script>', 'https://osm.org/x'))],
	['accessibility_notes', text],
	['what_to_bring', text],
	['languages', mixed('nl', 'en', 'ar')],
	['wheelchair_accessible', mixed('on')],
	['capacity', num],
	['first_timer_places', num],
	['first_timer_release_hours', mixed('6', '24')],
	['cost_kind', mixed('free', 'price', 'pay_what_you_can')],
	['price', () => fc.oneof(hostileNumber, fc.constantFrom('3,50', '0', '1000,01', '-2', '€5'))],
	['meal_included', mixed('on')],
	...scheduleFields
];
const moveFields: Field[] = [
	['date', date],
	['start_time', time],
	['end_time', time],
	['place_name', text],
	['place_address', text]
];
const offerFields: Field[] = [
	['organisation', idOr(() => ids.organisation)],
	['kind', mixed('hands', 'knowledge', 'materials')],
	['title', text],
	['details', text],
	['quantity', num],
	['hands_when', text],
	['hands_minutes', num],
	['hands_frequency', mixed('once', 'weekly')],
	['terms', mixed('lend', 'give')],
	['handover', mixed('delivered', 'pick_up')],
	['available_from', date],
	['available_until', date],
	['languages', mixed('nl', 'en')],
	['neighbourhoods', idOr(() => ids.home)]
];
const organisationFields: Field[] = [
	['name', text],
	['description', text],
	['website', () => fc.oneof(hostileText, fc.constantFrom('https://example.org', 'javascript:alert(1)'))],
	['logo_url', () => fc.oneof(hostileText, fc.constantFrom('http://example.org/x.png', 'https://example.org/x.png', 'data:image/svg+xml,<svg onload=alert(1)>'))],
	['contact', text],
	['neighbourhoods', idOr(() => ids.home)]
];

const gPath = pathWith((id) => `/g/${id}`, () => ids.gathering, () => ids.otherGathering);
const aPath = pathWith((id) => `/a/${id}`, () => ids.activity, () => ids.otherActivity);
const needPath = pathWith((id) => `/needs/${id}`, () => ids.need, () => ids.otherNeed);
const orgPath = pathWith((id) => `/organisations/${id}`, () => ids.organisation, () => ids.otherOrganisation);

const ACTIONS: ActionCase[] = [
	// Boards
	{ route: '/g/[id]', action: 'join', as: 'visitor', path: gPath, schema: joinFormSchema, fields: [['display_name', text], ['lang', mixed('nl', 'en')], ['status', mixed('going', 'maybe', 'not_going')]] },
	{ route: '/g/[id]', action: 'leaveFeedback', as: 'member', path: gPath, schema: feedbackFormSchema, fields: [['rating', num], ['comment', text]] },
	{ route: '/g/[id]', action: 'respond', as: 'member', path: gPath, schema: respondFormSchema, fields: [['status', mixed('going', 'maybe', 'not_going')], ['guests', num]] },
	{ route: '/g/[id]', action: 'pledgeToSlot', as: 'member', path: gPath, schema: slotFormSchema, fields: [['slot', idOr(() => ids.slot)], ['quantity', num]] },
	{ route: '/g/[id]', action: 'bringAlong', as: 'member', path: gPath, schema: bringAlongFormSchema, fields: [['first_name', text]] },
	{ route: '/g/[id]', action: 'takeOffBrought', as: 'member', path: gPath, schema: takeOffBroughtFormSchema, fields: [['person', idOr(() => ids.brought)]] },
	{ route: '/g/[id]', action: 'askOrOfferHelp', as: 'member', path: gPath, schema: helpFormSchema, fields: [['side', mixed('ask', 'offer')], ['kind', mixed('door', 'ride', 'childcare')], ['amount', num], ['note', text]] },
	{ route: '/g/[id]', action: 'remindMe', as: 'member', path: gPath, schema: reminderFormSchema, fields: [['on', mixed('yes', 'no')]] },
	{ route: '/g/[id]', action: 'cancel', as: 'host', path: gPath, schema: cancelFormSchema, fields: [['reason', text]] },
	{ route: '/g/[id]', action: 'restore', as: 'host', path: gPath, fields: [['x', text]] },
	{ route: '/g/[id]', action: 'move', as: 'host', path: gPath, schema: moveFormSchema, fields: moveFields },
	{ route: '/g/[id]/door-list', action: 'thankForHelp', as: 'host', path: pathWith((id) => `/g/${id}/door-list`, () => ids.gathering, () => ids.otherGathering), fields: [['pledge', idOr(() => ids.pledge)], ['thanks', text]] },
	{ route: '/g/[id]/door-list', action: 'markArrival', as: 'host', path: pathWith((id) => `/g/${id}/door-list`, () => ids.gathering, () => ids.otherGathering), fields: [['member', idOr(() => member.id)], ['came', mixed('yes', 'no')]] },
	{ route: '/g/[id]/door-list', action: 'markBroughtArrival', as: 'host', path: pathWith((id) => `/g/${id}/door-list`, () => ids.gathering, () => ids.otherGathering), fields: [['person', idOr(() => ids.brought)], ['came', mixed('yes', 'no')]] },
	// Activities
	{ route: '/a/[id]', action: 'join', as: 'visitor', path: aPath, schema: joinFormSchema, fields: [['display_name', text], ['lang', mixed('nl', 'en')]] },
	{ route: '/a/[id]', action: 'standing', as: 'member', path: aPath, fields: [['on', mixed('yes', 'no')]] },
	{ route: '/a/[id]', action: 'status', as: 'host', path: aPath, fields: [['change', mixed('pause', 'resume', 'constructor', '__proto__', 'toString')]] },
	{ route: '/a/[id]', action: 'hosts', as: 'host', path: aPath, fields: [['change', mixed('add', 'remove', 'hand_over')], ['member', idOr(() => ids.otherMember)]] },
	{ route: '/a/[id]', action: 'extra', as: 'host', path: aPath, schema: moveFormSchema, fields: moveFields },
	{ route: '/a/[id]/edit', action: 'default', as: 'host', path: pathWith((id) => `/a/${id}/edit`, () => ids.activity, () => ids.otherActivity), schema: activityFormSchema, fields: activityFields },
	{ route: '/n/[slug]/activities/new', action: 'default', as: 'member', path: slugPath((s) => `/n/${s}/activities/new`), schema: activityFormSchema, fields: [...activityFields, ['idea', idOr(() => ids.otherIdea)]] },
	// Ideas
	{ route: '/n/[slug]/ideas', action: 'join', as: 'visitor', path: slugPath((s) => `/n/${s}/ideas`), schema: joinFormSchema, fields: [['display_name', text], ['lang', mixed('nl', 'en')]] },
	{ route: '/n/[slug]/ideas', action: 'propose', as: 'member', path: slugPath((s) => `/n/${s}/ideas`), schema: ideaFormSchema, fields: [['title', text], ['description', text], ['kind', mixed('walk', 'other')]] },
	{ route: '/n/[slug]/ideas', action: 'interest', as: 'member', path: slugPath((s) => `/n/${s}/ideas`), fields: [['idea', idOr(() => ids.idea)], ['kind', mixed('join', 'host')]] },
	// Needs, offers, organisations
	{ route: '/n/[slug]/needs', action: 'decide', as: 'host', path: slugPath((s) => `/n/${s}/needs`), schema: decideOrganisationFormSchema, fields: [['organisation', idOr(() => ids.otherOrganisation)], ['approve', mixed('yes', 'no')]] },
	{ route: '/needs/new', action: 'default', as: 'host', path: fixed('/needs/new'), schema: needFormSchema, fields: [['activity', idOr(() => ids.activity)], ['gathering', idOr(() => ids.gathering)], ['slot', idOr(() => ids.slot)], ['kind', mixed('hands', 'materials', 'knowledge')], ['title', text], ['details', text], ['quantity', num], ['languages', mixed('nl')], ['needed_on', date]] },
	{ route: '/needs/[id]', action: 'pledgeToNeed', as: 'member', path: needPath, schema: pledgeFormSchema, fromPath: (p) => ({ need: p.split('/')[2]! }), fields: [['quantity', num], ['organisation', idOr(() => ids.organisation)], ['offer', idOr(() => ids.offer)], ['message', text], ['contact', text]] },
	{ route: '/needs/[id]', action: 'setPledgeStatus', as: 'member', path: needPath, schema: pledgeStepFormSchema, fields: [['pledge', idOr(() => ids.pledge)], ['step', mixed('accepted', 'delivered', 'declined', 'withdrawn', 'offered')], ['contact', text]] },
	{ route: '/needs/[id]', action: 'thankPledge', as: 'host', path: needPath, schema: thankFormSchema, fields: [['pledge', idOr(() => ids.pledge)], ['thanks', text]] },
	{ route: '/needs/[id]', action: 'inviteOffer', as: 'host', path: needPath, schema: inviteOfferFormSchema, fromPath: (p) => ({ need: p.split('/')[2]! }), fields: [['offer', idOr(() => ids.offer)]] },
	{ route: '/needs/[id]', action: 'quantity', as: 'host', path: needPath, schema: needQuantityFormSchema, fromPath: (p) => ({ need: p.split('/')[2]! }), fields: [['quantity', num]] },
	{ route: '/needs/[id]', action: 'status', as: 'host', path: needPath, schema: needStatusFormSchema, fromPath: (p) => ({ need: p.split('/')[2]! }), fields: [['status', mixed('open', 'closed')]] },
	{ route: '/offers', action: 'status', as: 'host', path: fixed('/offers'), schema: offerStatusFormSchema, fields: [['offer', idOr(() => ids.offer)], ['status', mixed('active', 'paused')]] },
	{ route: '/offers/new', action: 'default', as: 'member', path: fixed('/offers/new'), schema: offerFormSchema, fields: offerFields },
	{ route: '/offers/[id]/edit', action: 'default', as: 'host', path: pathWith((id) => `/offers/${id}/edit`, () => ids.offer), schema: offerFormSchema, fields: offerFields },
	{ route: '/organisations/new', action: 'default', as: 'member', path: fixed('/organisations/new'), schema: organisationFormSchema, fields: organisationFields },
	{ route: '/organisations/[id]', action: 'save', as: 'host', path: orgPath, schema: organisationFormSchema, fields: organisationFields },
	{ route: '/organisations/[id]', action: 'colleague', as: 'host', path: orgPath, fields: [['x', text]] },
	{ route: '/organisations/[id]', action: 'colleagueOff', as: 'host', path: orgPath, fields: [['x', text]] },
	{ route: '/organisations/[id]', action: 'request', as: 'host', path: orgPath, fields: [['neighbourhood', idOr(() => ids.other)]] },
	{ route: '/organisations/join/[token]', action: 'default', as: 'member', path: () => fc.oneof(hostileText, fc.constantFrom('A'.repeat(43), 'a'.repeat(44))).map((t) => `/organisations/join/${encodeURIComponent(t.slice(0, 200).toWellFormed()) || 'x'}`), fields: [['x', text]] },
	// Invites, joining, signing in
	{ route: '/invites', action: 'create', as: 'host', path: fixed('/invites'), schema: inviteFormSchema, fields: [['target', () => fc.oneof(hostileId(foreign()), fc.constant(null).map(() => `${ids.home}|${ids.otherActivity}`), fc.constant(null).map(() => `${ids.other}`))], ['label', text], ['valid_days', mixed('7', '365', '')]] },
	{ route: '/invites', action: 'openness', as: 'host', path: fixed('/invites'), fields: [['neighbourhood', idOr(() => ids.home)], ['open', mixed('yes', 'no')]] },
	{ route: '/invites', action: 'revoke', as: 'host', path: fixed('/invites'), fields: [['invite', idOr(() => ids.otherInvite)]] },
	{ route: '/join/[code]', action: 'default', as: 'visitor', path: () => fc.oneof(hostileText, fc.constant(null).map(() => inviteCode)).map((c) => `/join/${encodeURIComponent(c.slice(0, 200).toWellFormed()) || 'x'}`), schema: joinFormSchema, fields: [['display_name', text], ['lang', mixed('nl', 'en')]] },
	{ route: '/r/[token]', action: 'default', as: 'visitor', path: () => hostileText.map((t) => `/r/${encodeURIComponent(t.slice(0, 200).toWellFormed()) || 'x'}`), fields: [['x', text]] },
	{ route: '/sign-in', action: 'default', as: 'visitor', path: fixed('/sign-in'), schema: emailFormSchema, fields: [['email', () => fc.oneof(hostileText, fc.constantFrom('a@b', 'x@example.org\r\nBcc: y@example.org', '"<script>"@example.org', `${'a'.repeat(250)}@example.org`))]] },
	// The member's own page
	{ route: '/me', action: 'profile', as: 'member', path: fixed('/me'), schema: profileFormSchema, fields: [['display_name', text], ['lang', mixed('nl', 'en')]] },
	{ route: '/me', action: 'email', as: 'member', path: fixed('/me'), schema: emailFormSchema, fields: [['email', () => fc.oneof(hostileText, fc.constantFrom('a@b', 'x@example.org\nBcc: y@example.org'))]] },
	{ route: '/me', action: 'returnLink', as: 'member', path: fixed('/me'), fields: [['x', text]] },
	{ route: '/me', action: 'stopReturnLink', as: 'member', path: fixed('/me'), fields: [['x', text]] },
	{ route: '/me', action: 'feedLink', as: 'member', path: fixed('/me'), fields: [['x', text]] },
	{ route: '/me', action: 'stopFeedLink', as: 'member', path: fixed('/me'), fields: [['x', text]] },
	{ route: '/me', action: 'endSession', as: 'member', path: fixed('/me'), fields: [['session', () => hostileId()]] },
	{ route: '/me', action: 'leave', as: 'member', path: fixed('/me'), fields: [['neighbourhood', idOr(() => ids.other)]] },
	// Never `yes`: that would delete the test's own member (deleting is tested elsewhere).
	{ route: '/me', action: 'delete', as: 'member', path: fixed('/me'), fields: [['confirm', () => anyHostile.filter((v) => v !== 'yes')]] }
];

/** Endpoints (+server.ts) and what they take. */
interface EndpointCase {
	route: string;
	method: 'GET' | 'POST';
	path: () => fc.Arbitrary<string>;
	body?: () => fc.Arbitrary<{ body: string; contentType: string }>;
	/** Signing out ends the session it is sent with: only ever as a visitor. */
	visitorOnly?: boolean;
}
const query = () => fc.oneof(fc.constant(''), fc.record({ lang: anyHostile, k: hostileText }).map((q) => `?${new URLSearchParams(q)}`), fc.constantFrom('?lang=en', '?lang=%FF', '?%', '?lang=en&lang=nl'));
const ENDPOINTS: EndpointCase[] = [
	{ route: '/me/export.json', method: 'GET', path: () => query().map((q) => `/me/export.json${q}`) },
	{ route: '/feeds/activity/[id].ics', method: 'GET', path: () => fc.tuple(fc.oneof(hostileId(foreign()), fc.constant(null).map(() => ids.activity)), query()).map(([id, q]) => `/feeds/activity/${encodeURIComponent(id)}.ics${q}`) },
	{ route: '/feeds/personal/[token].ics', method: 'GET', path: () => fc.tuple(hostileText, query()).map(([t, q]) => `/feeds/personal/${encodeURIComponent(t.slice(0, 200).toWellFormed())}.ics${q}`) },
	{ route: '/feeds/neighbourhood/[slug].ics', method: 'GET', path: () => fc.tuple(fc.oneof(hostileText, fc.constant(null).map(() => ids.homeSlug)), query()).map(([s, q]) => `/feeds/neighbourhood/${encodeURIComponent(s.slice(0, 300).toWellFormed())}.ics${q}`) },
	{ route: '/g/[id]/calendar.ics', method: 'GET', path: () => fc.tuple(fc.oneof(hostileId(foreign()), fc.constant(null).map(() => ids.gathering)), query()).map(([id, q]) => `/g/${encodeURIComponent(id)}/calendar.ics${q}`) },
	{ route: '/invites/[id]/qr.svg', method: 'GET', path: () => fc.tuple(fc.oneof(hostileId(foreign()), fc.constant(null).map(() => ids.invite)), query()).map(([id, q]) => `/invites/${encodeURIComponent(id)}/qr.svg${q}`) },
	{ route: '/healthz', method: 'GET', path: () => query().map((q) => `/healthz${q}`) },
	{ route: '/.well-known/openid-configuration', method: 'GET', path: () => query().map((q) => `/.well-known/openid-configuration${q}`) },
	{ route: '/.well-known/jwks.json', method: 'GET', path: () => query().map((q) => `/.well-known/jwks.json${q}`) },
	{ route: '/metrics', method: 'GET', path: () => query().map((q) => `/metrics${q}`) },
	{ route: '/language', method: 'GET', path: () => query().map((q) => `/language${q}`) },
	{
		route: '/language',
		method: 'POST',
		path: fixed('/language'),
		body: () =>
			fc.record({ lang: anyHostile, redirectTo: fc.oneof(hostileText, fc.constantFrom('//evil.example', 'https://evil.example', '/\\evil.example', '/me', 'javascript:alert(1)')) }).map((f) => ({ body: new URLSearchParams(f).toString(), contentType: 'application/x-www-form-urlencoded' }))
	},
	{
		route: '/push/subscribe',
		method: 'POST',
		path: fixed('/push/subscribe'),
		body: () =>
			fc.oneof(
				fc.jsonValue().map((v) => JSON.stringify(v)),
				fc.record({ endpoint: fc.oneof(hostileText, fc.constantFrom('https://evil.example/push', 'https://fcm.googleapis.com/fcm/send/x', 'http://localhost:5432/')), keys: fc.record({ p256dh: anyHostile, auth: anyHostile }) }).map((v) => JSON.stringify(v)),
				hostileText
			).map((b) => ({ body: b, contentType: 'application/json' }))
	},
	{ route: '/sign-out', method: 'POST', visitorOnly: true, path: fixed('/sign-out'), body: () => hostileText.map((b) => ({ body: b, contentType: 'text/plain' })) }
];

// ---------------------------------------------------------------------------------------------

/** A digest per table of everything a request could change (see the note at the top). */
let digestSql = '';
/** The server's log lines at level error (50) or above, the last few. */
const serverErrorLines = () =>
	server
		.output()
		.split('\n')
		.filter((line) => /"level":(5\d|6\d|"error"|"fatal")/.test(line))
		.slice(-3)
		.join('\n');

async function digest(): Promise<Record<string, string>> {
	const { rows } = await adminDb().query<{ t: string; sum: string }>(digestSql);
	return Object.fromEntries(rows.map((r) => [r.t, r.sum]));
}

async function joinByHttp(name: string): Promise<Person> {
	const joined = await fetch(`${server.url}/join/${inviteCode}`, {
		method: 'POST',
		headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextAddress() },
		body: new URLSearchParams({ display_name: name, lang: 'nl' }),
		redirect: 'manual'
	});
	expect(joined.status).toBe(303);
	const cookie = joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
	const { rows } = await adminDb().query<{ id: string }>('select id from member where display_name = $1', [name]);
	return { id: rows[0]!.id, cookie };
}

beforeAll(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-hostile-'));
	server = await startServerProcess({
		...inject('stackEnv'),
		BUURTBORD_DATA_DIR: dataDir,
		LOAD_DEMO_DATA: 'false',
		NODE_ENV: 'production',
		ADDRESS_HEADER: 'x-forwarded-for'
	});
	const db = adminDb();
	const home = await createNeighbourhood('Vijandige buurt');
	const other = await createNeighbourhood('Andere buurt');
	Object.assign(ids, { home: home.id, homeSlug: home.slug, other: other.id, otherSlug: other.slug });
	inviteCode = generateInviteCode();
	const sealed = async (code: string) => seal(inject('stackEnv').AUTH_SECRET, code);
	await db.query(`insert into invite (neighbourhood_id, code_hash, code_sealed) values ($1, $2, $3)`, [home.id, hashSecret(inviteCode), await sealed(inviteCode)]);
	member = await joinByHttp('Mia Hostile');
	host = await joinByHttp('Hanna Hostile');
	await db.query(`update neighbourhood_member set role = 'coordinator' where member_id = $1`, [host.id]);

	const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
	ids.activity = await createActivityWithGatherings(home.id, host.id, [soon], 'Vijandige soep');
	await db.query('insert into activity_host (activity_id, member_id) values ($1, $2) on conflict do nothing', [ids.activity, host.id]);
	ids.otherMember = await createMember('Olga', other.id, 'coordinator');
	ids.otherActivity = await createActivityWithGatherings(other.id, ids.otherMember, [soon], 'Andermans soep');
	// The server materialises series 30 s after start; done now (it replaces dates outside the
	// series), so that it changes nothing later.
	await refreshAllSeries();
	const firstGathering = async (activity: string) =>
		(await db.query(`select id from gathering where activity_id = $1 and starts_at > now() order by starts_at limit 1`, [activity])).rows[0].id as string;
	ids.gathering = await firstGathering(ids.activity);
	// The host brings someone along: what a member may not take off the board.
	await db.query(`insert into attendance (gathering_id, member_id, status, guests, going_since) values ($1, $2, 'going', 1, now())`, [ids.gathering, host.id]);
	ids.brought = (await db.query(
		`insert into brought_person (attendance_id, gathering_id, brought_by, first_name) select id, gathering_id, member_id, 'Els' from attendance where gathering_id = $1 and member_id = $2 returning id`,
		[ids.gathering, host.id]
	)).rows[0].id;
	ids.slot = (await db.query(`insert into gathering_slot (gathering_id, label, kind, quantity) values ($1, 'Soep', 'item', 3) returning id`, [ids.gathering])).rows[0].id;
	ids.organisation = (await db.query(`insert into organisation (name, created_by) values ('Stichting Hostile', $1) returning id`, [host.id])).rows[0].id;
	await db.query(`insert into organisation_member (organisation_id, member_id) values ($1, $2)`, [ids.organisation, host.id]);
	await db.query(`insert into organisation_neighbourhood (organisation_id, neighbourhood_id, status) values ($1, $2, 'approved')`, [ids.organisation, home.id]);
	ids.offer = (await db.query(`insert into offer (organisation_id, kind, title, quantity, terms, handover) values ($1, 'materials', 'Pannen', 4, 'lend', 'delivered') returning id`, [ids.organisation])).rows[0].id;
	await db.query(`insert into offer_neighbourhood (offer_id, neighbourhood_id) values ($1, $2)`, [ids.offer, home.id]);
	ids.need = (await db.query(`insert into need (activity_id, neighbourhood_id, kind, title, quantity, created_by) values ($1, $2, 'materials', 'Pannen', 10, $3) returning id`, [ids.activity, home.id, host.id])).rows[0].id;
	ids.pledge = (await db.query(`insert into pledge (need_id, member_id, quantity) values ($1, $2, 1) returning id`, [ids.need, member.id])).rows[0].id;
	await db.query(`update need set pledged = 1 where id = $1`, [ids.need]);
	ids.idea = (await db.query(`insert into idea (neighbourhood_id, title, proposed_by) values ($1, 'Wandelen', $2) returning id`, [home.id, member.id])).rows[0].id;
	ids.invite = (await db.query(`insert into invite (neighbourhood_id, code_hash, code_sealed) values ($1, repeat('e', 64), $2) returning id`, [home.id, await sealed('E'.repeat(10))])).rows[0].id;

	// Another neighbourhood with one of everything: what forged ids point at.
	ids.otherGathering = await firstGathering(ids.otherActivity);
	ids.otherSlot = (await db.query(`insert into gathering_slot (gathering_id, label, kind, quantity) values ($1, 'Taart', 'item', 2) returning id`, [ids.otherGathering])).rows[0].id;
	ids.otherOrganisation = (await db.query(`insert into organisation (name, created_by) values ('Andere stichting', $1) returning id`, [ids.otherMember])).rows[0].id;
	await db.query(`insert into organisation_neighbourhood (organisation_id, neighbourhood_id, status) values ($1, $2, 'pending')`, [ids.otherOrganisation, other.id]);
	ids.otherNeed = (await db.query(`insert into need (activity_id, neighbourhood_id, kind, title, quantity, created_by) values ($1, $2, 'hands', 'Handen', 3, $3) returning id`, [ids.otherActivity, other.id, ids.otherMember])).rows[0].id;
	ids.otherPledge = (await db.query(`insert into pledge (need_id, member_id, quantity) values ($1, $2, 1) returning id`, [ids.otherNeed, ids.otherMember])).rows[0].id;
	await db.query(`update need set pledged = 1 where id = $1`, [ids.otherNeed]);
	ids.otherIdea = (await db.query(`insert into idea (neighbourhood_id, title, proposed_by) values ($1, 'Breien', $2) returning id`, [other.id, ids.otherMember])).rows[0].id;
	ids.otherInvite = (await db.query(`insert into invite (neighbourhood_id, code_hash, code_sealed) values ($1, repeat('f', 64), $2) returning id`, [other.id, await sealed('F'.repeat(10))])).rows[0].id;

	const { rows: tables } = await db.query<{ relname: string }>(
		`select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' order by 1`
	);
	const part = (table: string, drop: string[] = []) =>
		`select '${table}' as t, md5(coalesce(string_agg((to_jsonb(x) - array[${drop.map((d) => `'${d}'`).join(',')}]::text[])::text, '|' order by (to_jsonb(x) - array[${drop.map((d) => `'${d}'`).join(',')}]::text[])::text), '')) as sum from ${table} x`;
	digestSql = [
		// Left out: when a member was last seen (any request), and when a notice was sent: an
		// accepted cancel or move sends its notices after answering, so the sending may land
		// during a later request (a new notice row still counts).
		...tables.map((t) => part(`public."${t.relname}"`, t.relname === 'member' ? ['last_seen_at'] : t.relname === 'notice' ? ['sent_at'] : [])),
		part('identity."user"', ['updatedAt'])
	].join('\nunion all\n');
}, 180_000);

afterAll(async () => {
	tally.print(`Form actions and endpoints (FC_SEED=${propertySeed} replays this run)`);
	console.log(
		`Socket events: ${socketTally.tried} tried, ${socketTally.refused} refused, ${socketTally.ackedOk} accepted as valid watches, ${socketTally.disconnected} sockets cut off for flooding or garbage`
	);
	if (tally.failures.length) console.log(`Failures (first 20):\n${tally.failures.slice(0, 20).join('\n')}`);
	if (process.env.HOSTILE_SERVER_LOG) console.log(server?.output().slice(-20_000));
	await server?.stop();
	await closeAdminDb();
	if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------

async function routeFiles(dir: string, name: string): Promise<string[]> {
	const out: string[] = [];
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		const full = join(dir, entry.name);
		if (entry.isDirectory()) out.push(...(await routeFiles(full, name)));
		else if (entry.name === name) out.push(full);
	}
	return out;
}
const routeOf = (file: string) => '/' + relative('src/routes', file).split('/').slice(0, -1).join('/');

describe('the inventory', () => {
	it('lists every form action in src/routes', async () => {
		const found: string[] = [];
		for (const file of await routeFiles('src/routes', '+page.server.ts')) {
			const source = await readFile(file, 'utf8');
			const start = source.indexOf('export const actions');
			if (start < 0) continue;
			for (const match of source.slice(start).matchAll(/^\t(\w+): async/gm)) found.push(`${routeOf(file)}?/${match[1]}`);
		}
		expect(found.sort()).toEqual(ACTIONS.map((a) => `${a.route}?/${a.action}`).sort());
	});

	it('lists every endpoint that takes input', async () => {
		const found: string[] = [];
		for (const file of await routeFiles('src/routes', '+server.ts')) {
			const source = await readFile(file, 'utf8');
			for (const match of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) found.push(`${match[1]} ${routeOf(file)}`);
		}
		expect(found.sort()).toEqual(ENDPOINTS.map((e) => `${e.method} ${e.route}`).sort());
	});
});

/** What one post did, checked against the property. */
async function post(c: ActionCase, path: string, fields: [string, string | Blob][], kind: Transport) {
	const person = c.as === 'host' ? host : c.as === 'member' ? member : null;
	const { body: payload, contentType } = body(fields, kind);
	const js = kind.startsWith('js') || kind === 'raw-broken';
	const url = `${server.url}${path}${c.action === 'default' ? '' : `?/${c.action}`}`;
	const headers: Record<string, string> = {
		origin: server.url,
		...(person ? { cookie: person.cookie } : {}),
		'x-forwarded-for': nextAddress(),
		accept: js ? 'application/json' : 'text/html'
	};
	if (js) headers['x-sveltekit-action'] = 'true';
	if (contentType) headers['content-type'] = contentType;
	const size = typeof payload === 'string' ? Buffer.byteLength(payload) : fields.reduce((n, [, v]) => n + (typeof v === 'string' ? Buffer.byteLength(v) : v.size), 0);
	try {
		const response = await fetch(url, { method: 'POST', headers, body: payload, redirect: 'manual' });
		return { response, text: await response.text(), js };
	} catch (cause) {
		// Over the body limit (512 kB) the server answers 413 and may close the connection while
		// the body is still being sent; the client then sees a reset. That is the refusal.
		if (size > 400_000) return { response: new Response('', { status: 413 }), text: '', js };
		// A pooled connection closed by an earlier refusal: once more, on a new one.
		const response = await fetch(url, { method: 'POST', headers, body: body(fields, kind).body, redirect: 'manual' });
		return { response, text: await response.text(), js };
	}
}

function schemaAccepts(c: ActionCase, path: string, fields: [string, string | Blob][], kind: Transport): boolean | undefined {
	if (!c.schema) return undefined;
	const form = new FormData();
	// What the server received: a url-encoded body carries a file as text.
	for (const [k, v] of fields) form.append(k, typeof v === 'string' || kind === 'js-multipart' ? v : '[blob]');
	for (const [k, v] of Object.entries(c.fromPath?.(path) ?? {})) form.set(k, decodeURIComponent(v));
	return parseForm(c.schema, form).ok;
}

const htmlErrors = { nl: errorTextsInHtml('nl'), en: errorTextsInHtml('en') };

type Example = [path: string, fields: [string, string | Blob][], kind: Transport];
/**
 * Counterexamples the properties found once, tried first on every run from then on, so a
 * defect found by chance stays found.
 */
const regressions: Record<string, () => Example[]> = {
	// Seed -89354452: a field the form does not know, holding NUL, refused under its own name,
	// which no form shows: a person without JavaScript saw no message.
	'/a/[id]?/extra': () => [
		[
			`/a/${ids.activity}`,
			[['date', '2030-03-12'], ['start_time', '02:30'], ['end_time', '18:00'], ['place_name', 'Soep'], ['place_address', 'Soep'], ['action', 'a\u0000b']],
			'nojs-urlencoded'
		],
		[`/a/${ids.activity}`, [['date', '2030-03-12'], ['start_time', '20:00'], ['end_time', '18:00'], ['x-sveltekit', '\u0000']], 'nojs-urlencoded']
	]
};

describe.each(ACTIONS.map((c) => [`${c.route}?/${c.action}`, c] as const))('%s', (_name, c) => {
	it(`answers hostile input as a ${c.as} with a clear error and changes nothing`, async () => {
		const fieldsArb = fc
			.tuple(
				...c.fields.map(([name, values]) => fieldValues(values()).map((vs) => vs.map((v) => [name, v] as [string, string | Blob]))),
				fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'action', 'x-sveltekit', ''), hostileText), { maxLength: 2 })
			)
			.map((parts) => (parts as [string, string | Blob][][]).flat());
		await fc.assert(
			fc.asyncProperty(c.path(), fieldsArb, transport, async (path, fields, kind) => {
				const before = await digest();
				const { response, text, js } = await post(c, path, fields, kind);
				tally.tried++;
				const label = `${kind} ${path} ${JSON.stringify(fields.map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 60) : 'blob']))}`;
				if (response.status >= 500) {
					tally.serverErrors++;
					tally.failures.push(`${response.status} ${label}: ${text.slice(0, 200)}`);
				}
				// A server error names its cause: the server's own last log lines go with the failure.
				expect(response.status, response.status >= 500 ? `${label}\n${serverErrorLines()}` : label).toBeLessThan(500);
				if (response.status === 413) {
					tally.tooLarge++;
					expect(await digest()).toEqual(before);
					return;
				}
				let accepted: boolean;
				if (js) {
					let answer: { type: string; status?: number; data?: string; error?: { message: string }; location?: string };
					try {
						answer = JSON.parse(text);
					} catch {
						expect.fail(`not a JSON answer (${response.status}): ${text.slice(0, 200)} — ${label}`);
					}
					answer.status ??= response.status;
					if (answer.type === 'failure') {
						accepted = false;
						expect(answer.status, label).toBeGreaterThanOrEqual(400);
						expect(answer.status, label).toBeLessThan(500);
						const data = decodeDevalue(answer.data);
						const errors = data.errors as Record<string, unknown> | undefined;
						// A failure names its reason as message keys, or (invalid links) a flag the page turns into text.
						const messages = errors ? Object.values(errors) : [];
						if (!errors) expect(Object.keys(data).some((k) => k === 'invalid' || k === 'refused'), label).toBe(true);
						for (const key of messages) expect(isTranslatedKey(key), `${label}: ${String(key)}`).toBe(true);
					} else if (answer.type === 'error') {
						accepted = false;
						expect(answer.status, label).toBeLessThan(500);
						expect(isTranslatedText(answer.error?.message), `${label}: ${answer.error?.message}`).toBe(true);
					} else {
						// success, or a redirect after a change
						accepted = true;
						expect(['success', 'redirect'], label).toContain(answer.type);
					}
				} else {
					accepted = response.status === 303 || response.status === 200;
					if (!accepted) {
						expect(response.status, label).toBeGreaterThanOrEqual(400);
						const shown = htmlErrors.nl.some((t) => text.includes(t)) || htmlErrors.en.some((t) => text.includes(t));
						if (!shown && process.env.HOSTILE_DUMP) await import('node:fs/promises').then((fs) => fs.writeFile(`/tmp/hostile-${c.action}-${response.status}.html`, text));
						expect(shown, `${label}: no translated error on the page answered ${response.status}`).toBe(true);
					}
				}
				if (accepted) {
					tally.accepted++;
					// Accepted: only if the action's own schema calls it valid.
					const valid = schemaAccepts(c, path, fields, kind);
					if (valid === false && kind !== 'raw-broken') expect.fail(`accepted although invalid: ${label}`);
				} else {
					tally.rejected++;
					expect(await digest(), label).toEqual(before);
				}
			}),
			{ numRuns: RUNS, examples: regressions[`${c.route}?/${c.action}`]?.() ?? [] }
		);
	});
});

describe.each(ENDPOINTS.map((e) => [`${e.method} ${e.route}`, e] as const))('%s', (_name, e) => {
	it('never fails with a server error and changes nothing it should not', async () => {
		await fc.assert(
			fc.asyncProperty(e.path(), e.body ? e.body() : fc.constant(undefined), e.visitorOnly ? fc.constant(null) : fc.constantFrom<Person | null>(member, host, null), async (path, payload, person) => {
				const before = await digest();
				const headers: Record<string, string> = { origin: server.url, 'x-forwarded-for': nextAddress() };
				if (person) headers.cookie = person.cookie;
				if (payload) headers['content-type'] = payload.contentType;
				const response = await fetch(`${server.url}${path}`, { method: e.method, headers, body: payload?.body, redirect: 'manual' });
				const text = await response.text();
				tally.tried++;
				const label = `${e.method} ${path} ${payload?.body.slice(0, 100) ?? ''}`;
				if (response.status >= 500) {
					tally.serverErrors++;
					tally.failures.push(`${response.status} ${label}: ${text.slice(0, 200)}`);
				}
				// A server error names its cause: the server's own last log lines go with the failure.
				expect(response.status, response.status >= 500 ? `${label}\n${serverErrorLines()}` : label).toBeLessThan(500);
				if (response.status >= 400) {
					tally.rejected++;
					// Sign-out ends a session on purpose; the sessions are not in the digest.
					expect(await digest(), label).toEqual(before);
				} else tally.accepted++;
				// A redirect never leaves the site.
				const location = response.headers.get('location');
				if (location) expect(new URL(location, server.url).origin, label).toBe(server.url);
			}),
			{ numRuns: RUNS, examples: endpointRegressions[`${e.method} ${e.route}`] ?? [] }
		);
	});
});

/**
 * Found by the properties (seed 1064187243): a body the endpoint never reads (sign-out reads
 * none) was left unread, and the next request on the same connection was reset.
 */
const endpointRegressions: Record<string, [string, { body: string; contentType: string } | undefined, Person | null][]> = {
	'POST /sign-out': [
		['/sign-out', { body: '👩‍👩‍👧'.repeat(13_750), contentType: 'text/plain' }, null],
		['/sign-out', { body: '👩‍👩‍👧‍👦', contentType: 'text/plain' }, null]
	]
};

// ---------------------------------------------------------------------------------------------
// Socket events: `watch` and `unwatch` (src/lib/realtime/attach.server.ts), and anything else a client sends.
// ---------------------------------------------------------------------------------------------

const SOCKET_EVENTS = ['watch', 'unwatch'];

function openSocket(cookie?: string): Promise<Socket> {
	const socket = connect(server.url, {
		path: '/socket.io',
		transports: ['websocket'],
		reconnection: false,
		extraHeaders: cookie ? { cookie } : {}
	});
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', reject);
	});
}

/** The ack, or `null` when the server gave none within the time (or cut the socket off). */
function emitWithAck(socket: Socket, event: string, payload: unknown, ms = 700): Promise<unknown> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(null), ms);
		socket.once('disconnect', () => {
			clearTimeout(timer);
			resolve(null);
		});
		socket.emit(event, payload, (reply: unknown) => {
			clearTimeout(timer);
			resolve(reply);
		});
	});
}

/** Changes a board so that every socket watching it hears `changed`. */
async function touchBoard(status: 'going' | 'maybe') {
	await fetch(`${server.url}/g/${ids.gathering}?/respond`, {
		method: 'POST',
		headers: { origin: server.url, cookie: member.cookie, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextAddress() },
		body: new URLSearchParams({ status, guests: '0' })
	});
}

describe('socket events', () => {
	it('lists every event the server accepts', async () => {
		const source = await readFile('src/lib/realtime/attach.server.ts', 'utf8');
		const events = [...source.matchAll(/socket\.on\(\s*clientEvents\.(\w+)/g)].map((m) => m[1]!);
		expect(events.sort()).toEqual([...SOCKET_EVENTS].sort());
	});

	it('answers garbage with an error, joins no room for it, and leaves other sockets alone', { timeout: 180_000 }, async () => {
		const topic = () => `gathering:${ids.gathering}`;
		// A bystander watching the board the right way, for the whole property.
		const bystander = await openSocket(member.cookie);
		expect(await emitWithAck(bystander, 'watch', { topic: topic() })).toEqual({ ok: true });
		let bystanderHeard = 0;
		bystander.on('changed', () => bystanderHeard++);

		const garbage = fc.oneof(
			fc.anything(),
			hostileText,
			fc.constant(null).map(() => topic()), // a bare string, not { topic }
			fc.constant(null).map(() => ({ topic: topic().toUpperCase() })),
			fc.constant(null).map(() => ({ topic: `${topic()} ` })),
			fc.constant(null).map(() => ({ topic: `${topic()}\u0000` })),
			fc.constant(null).map(() => ({ topic: [topic()] })),
			fc.constant(null).map(() => ({ topic: topic(), extra: 1 })),
			fc.constant(null).map(() => ({ topic: `member:${member.id}` })),
			fc.constant(null).map(() => ({ topic: `identity:${member.id}` })),
			fc.constant(null).map(() => ({ topic: `gathering:${ids.gathering}`.replace(/-/g, '') })),
			fc.constant(null).map(() => ({ topic: ids.gathering })),
			fc.constant(null).map(() => ({ topic: `${topic()}` + 'x'.repeat(20_000) })),
			fc.constant(null).map(() => ({ topic: `gathering:${'a'.repeat(40)}` })),
			fc.constant(null).map(() => ({ ['__proto__']: { topic: topic() } })),
			fc.constant(null).map(() => ({ toString: topic() }))
		);
		const round = fc.tuple(fc.constantFrom('watch', 'unwatch', 'changed', 'presence', 'disconnect_me', 'join', '__proto__'), garbage, fc.constantFrom<string | undefined>(undefined, member.cookie));
		await fc.assert(
			fc.asyncProperty(round, async ([event, payload, cookie]) => {
				const socket = await openSocket(cookie);
				let heard = 0;
				socket.on('changed', () => heard++);
				socketTally.tried++;
				let reply: unknown;
				try {
					reply = event === 'disconnect_me' ? null : await emitWithAck(socket, event, payload);
				} catch {
					reply = null; // a reserved event name: the client library itself refuses to send it
				}
				if (reply && typeof reply === 'object' && (reply as { ok?: boolean }).ok === true) {
					// Accepted: only a well-formed watch request.
					socketTally.ackedOk++;
					expect(event).toBe('watch');
					expect(payload).toEqual({ topic: expect.stringMatching(/^(neighbourhood|activity|gathering):[0-9a-f-]{36}$/) });
				} else {
					socketTally.refused++;
					if (event === 'watch' && socket.connected && reply !== null) expect(reply).toEqual({ ok: false, error: 'invalid_request' });
					// Refused: the socket hears nothing of the board.
					if (socket.connected) {
						await touchBoard(heard % 2 ? 'going' : 'maybe');
						await new Promise((r) => setTimeout(r, 150));
						expect(heard, JSON.stringify(payload)?.slice(0, 120)).toBe(0);
					}
				}
				if (!socket.connected) socketTally.disconnected++;
				socket.disconnect();
			}),
			{ numRuns: RUNS * 2 }
		);
		// The bystander stayed connected and kept hearing the board.
		const before = bystanderHeard;
		await touchBoard('going');
		await touchBoard('maybe');
		await expect.poll(() => bystanderHeard, { timeout: 5000 }).toBeGreaterThan(before);
		expect(bystander.connected).toBe(true);
		bystander.disconnect();
	});

	it('cuts off a flooding or oversized socket, and nobody else notices', { timeout: 60_000 }, async () => {
		const bystander = await openSocket();
		expect(await emitWithAck(bystander, 'watch', { topic: `gathering:${ids.gathering}` })).toEqual({ ok: true });
		let heard = 0;
		bystander.on('changed', () => heard++);

		const flooder = await openSocket(member.cookie);
		const cut = new Promise<void>((resolve) => flooder.once('disconnect', () => resolve()));
		for (let i = 0; i < 500; i++) flooder.emit('watch', { topic: `activity:${crypto.randomUUID()}` });
		await cut;
		socketTally.tried += 500;
		socketTally.disconnected++;

		const garbler = await openSocket();
		const garbled = new Promise<void>((resolve) => garbler.once('disconnect', () => resolve()));
		for (let i = 0; i < 10; i++) garbler.emit('watch', { topic: 'nonsense' });
		await garbled;
		socketTally.tried += 10;
		socketTally.disconnected++;

		const giant = await openSocket();
		const dropped = new Promise<void>((resolve) => giant.once('disconnect', () => resolve()));
		giant.emit('watch', { topic: 'x'.repeat(100_000) });
		await dropped;
		socketTally.tried++;
		socketTally.disconnected++;

		// More than a socket's share of topics: the rest are refused.
		const greedy = await openSocket();
		const replies: unknown[] = [];
		for (let i = 0; i < 25; i++) {
			replies.push(await emitWithAck(greedy, 'watch', { topic: `activity:${crypto.randomUUID()}` }));
			await new Promise((r) => setTimeout(r, 60)); // under the flood limit
		}
		socketTally.tried += 25;
		expect(replies.filter((r) => (r as { ok: boolean }).ok === true).length).toBeLessThanOrEqual(20);
		expect(replies.slice(21)).toEqual(replies.slice(21).map(() => ({ ok: false, error: 'invalid_request' })));
		greedy.disconnect();

		await touchBoard('going');
		await expect.poll(() => heard, { timeout: 5000 }).toBeGreaterThan(0);
		expect(bystander.connected).toBe(true);
		bystander.disconnect();
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
	});
});
