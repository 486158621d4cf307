/**
 * What the generated OpenAPI document cannot learn from the route schemas, added after
 * generation: the exact media type the API sends (`application/json;charset=UTF-8`, as the
 * vendor's document names it) and the response headers clients depend on — `TrackingID` on
 * every response, `Link` on a list page, `Retry-After` on 429 and 503, `WWW-Authenticate` on
 * 401. Without them, a client generated from `/openapi.json` would not know how to page.
 */

interface HeaderObject {
  readonly description: string;
  readonly schema: { readonly type: 'string' };
}

interface ResponseObject {
  content?: Record<string, unknown>;
  headers?: Record<string, HeaderObject>;
  [key: string]: unknown;
}

interface OperationObject {
  responses?: Record<string, ResponseObject>;
  [key: string]: unknown;
}

export interface OpenApiDocument {
  paths?: Record<string, Record<string, OperationObject | unknown>>;
  [key: string]: unknown;
}

export const API_MEDIA_TYPE = 'application/json;charset=UTF-8';

const header = (description: string): HeaderObject => ({ description, schema: { type: 'string' } });

const TRACKING_ID = header('Identifies this request in the server logs (`RECVAULT_<uuid>`, or the client\'s own well-formed `TrackingID`).');
const LINK = header('RFC 8288 link to the next page: `<absolute URL>; rel="next"`; absent on the last page. Follow it as is.');
const RETRY_AFTER = header('Seconds to wait before retrying.');
const WWW_AUTHENTICATE = header('`Bearer realm="recvault"`.');

/** Operations whose 200 is a page of a paginated list. */
const PAGINATED = new Set(['get /v1/admin/recordings']);

export function describeWire(document: OpenApiDocument): OpenApiDocument {
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    if (!path.startsWith('/v1/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      const responses = (operation as OperationObject | null)?.responses;
      if (responses === undefined) continue;
      for (const [status, response] of Object.entries(responses)) {
        if (response.content !== undefined && 'application/json' in response.content) {
          const { 'application/json': media, ...others } = response.content;
          response.content = { [API_MEDIA_TYPE]: media, ...others };
        }
        const headers: Record<string, HeaderObject> = { ...response.headers, TrackingID: TRACKING_ID };
        if (status === '200' && PAGINATED.has(`${method} ${path}`)) headers['Link'] = LINK;
        if (status === '429' || status === '503') headers['Retry-After'] = RETRY_AFTER;
        if (status === '401') headers['WWW-Authenticate'] = WWW_AUTHENTICATE;
        response.headers = headers;
      }
    }
  }
  return document;
}
