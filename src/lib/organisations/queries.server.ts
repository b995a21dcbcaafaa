import { z } from 'zod';
import { DataError, unwrap, type DataClient } from '../server/db/client.ts';

/** Organisations: profile, contact, members and the neighbourhoods they work in (RLS decides who sees what). */

const organisationSchema = z.object({
	id: z.uuid(),
	name: z.string(),
	description: z.string(),
	website: z.string().nullable(),
	logo_url: z.string().nullable()
});
export type Organisation = z.infer<typeof organisationSchema>;

const placeSchema = z.object({
	organisation_id: z.uuid(),
	neighbourhood_id: z.uuid(),
	status: z.enum(['pending', 'approved', 'declined']),
	neighbourhood: z.object({ name: z.string(), slug: z.string() }).nullable()
});
export type OrganisationPlace = z.infer<typeof placeSchema>;

export async function getOrganisation(db: DataClient, id: string): Promise<Organisation | null> {
	const rows = unwrap('getOrganisation', await db.from('organisation').select('id, name, description, website, logo_url').eq('id', id));
	return rows.length ? organisationSchema.parse(rows[0]) : null;
}

/** The contact an organisation shows to hosts; null for those who may not see it. */
export async function getOrganisationContact(db: DataClient, id: string): Promise<string | null> {
	const result = await db.from('organisation_contact').select('contact').eq('organisation_id', id);
	if (result.error?.code === '42501') return null;
	const rows = unwrap('getOrganisationContact', result) as { contact: string }[];
	return rows[0]?.contact ?? null;
}

export async function listOrganisationPlaces(db: DataClient, filter: { organisationId?: string; neighbourhoodId?: string }) {
	let query = db.from('organisation_neighbourhood').select('organisation_id, neighbourhood_id, status, neighbourhood(name, slug)');
	if (filter.organisationId) query = query.eq('organisation_id', filter.organisationId);
	if (filter.neighbourhoodId) query = query.eq('neighbourhood_id', filter.neighbourhoodId);
	return z.array(placeSchema).parse(unwrap('listOrganisationPlaces', await query));
}

export async function listOrganisations(db: DataClient, ids: string[]): Promise<Organisation[]> {
	if (ids.length === 0) return [];
	return z.array(organisationSchema).parse(unwrap('listOrganisations', await db.from('organisation').select('id, name, description, website, logo_url').in('id', ids)));
}

/** The organisations the signed-in member acts for. */
export async function myOrganisations(db: DataClient, memberId: string): Promise<Organisation[]> {
	const result = await db.from('organisation_member').select('organisation(id, name, description, website, logo_url)').eq('member_id', memberId);
	if (result.error?.code === '42501') return [];
	const rows = unwrap('myOrganisations', result) as unknown as { organisation: unknown }[];
	return z.array(organisationSchema).parse(rows.map((r) => r.organisation).filter(Boolean));
}

export async function isOrganisationMember(db: DataClient, organisationId: string): Promise<boolean> {
	return z.boolean().parse(unwrap('isOrganisationMember', await db.rpc('is_organisation_member', { p_organisation: organisationId })));
}

export interface OrganisationInput {
	name: string;
	description: string;
	website: string;
	logo_url: string;
	contact: string;
}

export async function createOrganisation(db: DataClient, input: OrganisationInput, neighbourhoodIds: string[]): Promise<string> {
	const { data, error } = await db.rpc('create_organisation', {
		p_name: input.name,
		p_description: input.description,
		p_website: input.website,
		p_logo_url: input.logo_url,
		p_contact: input.contact,
		p_neighbourhoods: neighbourhoodIds
	});
	if (error) throw new DataError('createOrganisation', error.code, error.message);
	return z.uuid().parse(data);
}

/** Edits the profile and contact; false if this person does not act for the organisation. */
export async function updateOrganisation(db: DataClient, id: string, input: OrganisationInput): Promise<boolean> {
	const profile = await db
		.from('organisation')
		.update({ name: input.name, description: input.description, website: input.website || null, logo_url: input.logo_url || null })
		.eq('id', id)
		.select('id');
	if (profile.error) throw new DataError('updateOrganisation', profile.error.code, profile.error.message);
	if (!profile.data?.length) return false;
	const contact = await db.from('organisation_contact').update({ contact: input.contact }).eq('organisation_id', id);
	if (contact.error) throw new DataError('updateOrganisation', contact.error.code, contact.error.message);
	return true;
}

export async function requestNeighbourhood(db: DataClient, organisationId: string, neighbourhoodId: string): Promise<boolean> {
	const { error } = await db.rpc('request_organisation_neighbourhood', { p_organisation: organisationId, p_neighbourhood: neighbourhoodId });
	// Not allowed, or a neighbourhood that does not exist (foreign key) or is no UUID.
	if (error?.code === '42501' || error?.code === '23503' || error?.code === '22P02' || error?.code === 'P0002') return false;
	if (error) throw new DataError('requestNeighbourhood', error.code, error.message);
	return true;
}

/** A coordinator approves or declines; false if this person may not. */
export async function decideOrganisation(db: DataClient, organisationId: string, neighbourhoodId: string, approve: boolean): Promise<boolean> {
	const { error } = await db.rpc('decide_organisation', { p_organisation: organisationId, p_neighbourhood: neighbourhoodId, p_approve: approve });
	if (error?.code === '42501' || error?.code === 'P0002') return false;
	if (error) throw new DataError('decideOrganisation', error.code, error.message);
	return true;
}

export async function addOrganisationMember(db: DataClient, organisationId: string, memberId: string): Promise<boolean> {
	const { error } = await db.rpc('add_organisation_member', { p_organisation: organisationId, p_member: memberId });
	if (error?.code === '42501') return false;
	if (error) throw new DataError('addOrganisationMember', error.code, error.message);
	return true;
}

const recordSchema = z.object({
	kind: z.enum(['hands', 'knowledge', 'materials']),
	title: z.string(),
	terms: z.enum(['lend', 'give']).nullable(),
	quantity: z.number().int(),
	activities: z.number().int(),
	times: z.number().int()
});
export type OrganisationRecordRow = z.infer<typeof recordSchema>;

/** What an organisation gave in a year ("lent 40 chairs to 6 activities"). */
export async function organisationRecord(db: DataClient, organisationId: string, year: number): Promise<OrganisationRecordRow[]> {
	return z.array(recordSchema).parse(unwrap('organisationRecord', await db.rpc('organisation_record', { p_organisation: organisationId, p_year: year })));
}

const thanksSchema = z.object({ title: z.string(), activity_title: z.string(), thanks: z.string(), thanked_at: z.string() });

export async function organisationThanks(db: DataClient, organisationId: string) {
	return z.array(thanksSchema).parse(unwrap('organisationThanks', await db.rpc('organisation_thanks', { p_organisation: organisationId })));
}

/** A new colleague link (the old one stops); false if this person does not act for the organisation. */
export async function createOrganisationInvite(db: DataClient, organisationId: string, tokenHash: string): Promise<boolean> {
	const { error } = await db.rpc('create_organisation_invite', { p_organisation: organisationId, p_token_hash: tokenHash });
	if (error?.code === '42501') return false;
	if (error) throw new DataError('createOrganisationInvite', error.code, error.message);
	return true;
}

export async function revokeOrganisationInvites(db: DataClient, organisationId: string): Promise<void> {
	const result = await db.from('organisation_invite').update({ revoked_at: new Date().toISOString() }).eq('organisation_id', organisationId).is('revoked_at', null);
	if (result.error) throw new DataError('revokeOrganisationInvites', result.error.code, result.error.message);
}

export async function hasActiveOrganisationInvite(db: DataClient, organisationId: string): Promise<boolean> {
	const result = await db.from('organisation_invite').select('id').eq('organisation_id', organisationId).is('revoked_at', null);
	return !result.error && (result.data ?? []).length > 0;
}

export async function findOrganisationInvite(db: DataClient, tokenHash: string): Promise<{ organisation_id: string; name: string } | null> {
	const rows = unwrap('findOrganisationInvite', await db.rpc('find_organisation_invite', { p_token_hash: tokenHash }));
	return z.array(z.object({ organisation_id: z.uuid(), name: z.string() })).parse(rows)[0] ?? null;
}

export async function joinOrganisation(db: DataClient, tokenHash: string): Promise<string | null> {
	const { data, error } = await db.rpc('join_organisation', { p_token_hash: tokenHash });
	if (error?.code === 'P0001' || error?.code === '42501') return null;
	if (error) throw new DataError('joinOrganisation', error.code, error.message);
	return z.uuid().parse(data);
}
