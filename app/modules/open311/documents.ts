/** The spec's documents (field names, order and layout) from the module's answers; app/utils/open311-format.ts writes them as JSON or XML. */
import type { Open311Document } from '~/utils/open311-format';
import { w3cDateTime } from './datetime';
import type { Open311Request, Open311Update } from './requests.server';
import type { Open311Attribute, Open311Datatype, Open311Service } from './services.server';

export const OPEN311_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

export type Discovery = { changeset: Date; contact: string; keyService: string; apiUrl: string; timeZone: string };

/**
 * The service-discovery document. The production and test entries share one URL: there is no
 * separate sandbox; a demo deployment is the place to try writes (its demo key).
 */
export function discoveryDocument(discovery: Discovery): Open311Document {
  const changeset = w3cDateTime(discovery.changeset, discovery.timeZone);
  const endpoint = (type: string) => ({ specification: OPEN311_SPECIFICATION, url: discovery.apiUrl, changeset, type, formats: ['text/xml', 'application/json'] });
  return { root: 'discovery', body: { changeset, contact: discovery.contact, key_service: discovery.keyService, endpoints: [endpoint('production'), endpoint('test')] } };
}

export function servicesDocument(services: Open311Service[]): Open311Document {
  return {
    root: 'services',
    items: 'service',
    body: services.map((s) => ({ service_code: s.code, service_name: s.name, description: s.description, metadata: s.metadata, type: 'realtime', keywords: s.keywords.join(','), group: s.group })),
  };
}

/** `describe` words a datatype for people (datatype_description). */
export function serviceDefinitionDocument(definition: { code: string; attributes: Open311Attribute[] }, describe: (datatype: Open311Datatype) => string): Open311Document {
  return {
    root: 'service_definition',
    body: {
      service_code: definition.code,
      attributes: definition.attributes.map((a) => ({
        variable: true,
        code: a.code,
        datatype: a.datatype,
        required: a.required,
        datatype_description: describe(a.datatype),
        order: a.order,
        description: a.description,
        values: a.values.map((v) => ({ key: v.key, name: v.name })),
      })),
    },
  };
}

/** `origin` makes a photo's path a URL on the town's site. */
export function requestsDocument(requests: Open311Request[], town: { timeZone: string; origin: string }): Open311Document {
  const at = (instant: Date | null) => (instant ? w3cDateTime(instant, town.timeZone) : null);
  return {
    root: 'service_requests',
    items: 'request',
    body: requests.map((r) => ({
      service_request_id: r.trackingNumber,
      status: r.status,
      status_notes: r.statusNotes,
      service_name: r.serviceName,
      service_code: r.serviceCode,
      description: r.description,
      agency_responsible: r.agencyResponsible,
      service_notice: null,
      requested_datetime: at(r.requestedAt),
      updated_datetime: at(r.updatedAt),
      expected_datetime: at(r.expectedAt),
      address: r.address,
      address_id: null,
      zipcode: null,
      lat: r.lat,
      long: r.lng,
      media_url: r.photoPath ? `${town.origin}${r.photoPath}` : r.mediaUrl,
      ...(r.notes ? { extended_attributes: { notes: r.notes.map((n) => ({ type: n.type, datetime: w3cDateTime(n.at, town.timeZone), description: n.description, status: n.status })) } } : {}),
    })),
  };
}

/** mySociety's `servicerequestupdates`: one `request_update` per public update. */
export function updatesDocument(updates: Open311Update[], town: { timeZone: string }): Open311Document {
  return {
    root: 'service_request_updates',
    items: 'request_update',
    body: updates.map((u) => ({
      update_id: u.updateId,
      service_request_id: u.trackingNumber,
      status: u.status,
      updated_datetime: w3cDateTime(u.at, town.timeZone),
      description: u.description,
      media_url: null,
    })),
  };
}

/** The answer to `POST servicerequestupdates`: our id for the update. */
export function updateReceiptDocument(updateId: string): Open311Document {
  return { root: 'service_request_updates', items: 'request_update', body: [{ update_id: updateId }] };
}

export function tokensDocument(token: { token: string; trackingNumber: string }): Open311Document {
  return { root: 'service_requests', items: 'request', body: [{ service_request_id: token.trackingNumber, token: token.token }] };
}

/** The answer to `POST requests`: the new request's id (its tracking number), so no token. */
export function createdDocument(trackingNumber: string): Open311Document {
  return { root: 'service_requests', items: 'request', body: [{ service_request_id: trackingNumber, service_notice: null, account_id: null }] };
}
