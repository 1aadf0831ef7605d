/** Store records → the spec's response objects (identification.yml Person, Group, Image). */
import type { components } from './generated/openapi.ts';
import type { GroupRecord, ImageRecord, Page, PersonView } from '../store/port.ts';

type Schemas = components['schemas'];
/** Person as answered: 6.4 Person plus the 7.x `expireAt`. */
export type PersonWire = Schemas['Person'] & { expireAt?: string };
export type GroupWire = Schemas['Group'];
export type ImageWire = Schemas['Image'];

export function personToWire(person: PersonView, nowMs: number): PersonWire {
  return {
    id: person.id,
    name: person.name,
    ...(person.externalId !== undefined ? { externalId: person.externalId } : {}),
    metadata: person.metadata,
    groups: person.groupIds,
    createdAt: person.createdAt,
    updatedAt: person.updatedAt,
    // Remaining lifespan in whole seconds; null = forever (the spec's default).
    ttl: person.expiresAtMs === undefined ? null : Math.max(0, Math.ceil((person.expiresAtMs - nowMs) / 1000)),
    ...(person.expiresAtMs !== undefined ? { expireAt: new Date(person.expiresAtMs).toISOString() } : {}),
  };
}

export function groupToWire(group: GroupRecord): GroupWire {
  return { id: group.id, name: group.name, metadata: group.metadata, createdAt: group.createdAt };
}

export function imagePath(personId: string, imageId: string): string {
  return `/api/persons/${personId}/images/${imageId}`;
}

export function imageToWire(image: ImageRecord): ImageWire {
  const path = imagePath(image.personId, image.id);
  return {
    id: image.id,
    contentType: image.contentType,
    createdAt: image.createdAt,
    updatedAt: image.updatedAt,
    path,
    url: path,
    metadata: image.metadata,
  };
}

/** `{items, page, totalPages}` as common.yml Page. */
export function pageToWire<T, W>(page: Page<T>, toWire: (item: T) => W): { items: W[]; page: number; totalPages: number } {
  return { items: page.items.map(toWire), page: page.page, totalPages: page.totalPages };
}
