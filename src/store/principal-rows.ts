import type { Person, TokenRecord } from '../domain/types.js';

/** A `tokens` row as both engines return it (JSON text for scopes, epoch milliseconds). */
export interface TokenRow {
  id: string;
  person_id: string;
  scopes: string;
  client_id: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

/** The `people` columns both engines return (JSON text for the administered sites). */
export interface PersonColumns {
  org_id: string;
  email: string;
  display_name: string;
  site_urls: string;
  preferred_site_url: string | null;
}

export function tokenFromRow(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    personId: row.person_id,
    scopes: JSON.parse(row.scopes) as string[],
    clientId: row.client_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

export function personFromRow(row: PersonColumns & { id: string }): Person {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    displayName: row.display_name,
    siteUrls: JSON.parse(row.site_urls) as string[],
    preferredSiteUrl: row.preferred_site_url,
  };
}
