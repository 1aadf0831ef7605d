/**
 * Groups (groups.yml): list, create, get, update, delete a group; list its persons; add and
 * remove persons. Same conventions as persons.ts.
 */
import type { components } from './generated/openapi.ts';
import { ApiError, answer, type ApiResult, type OperationLog } from './errors.ts';
import { parsePaging, validateOrThrow, type PagingQuery } from './validate.ts';
import { groupToWire, pageToWire, personToWire, type GroupWire } from './wire-shapes.ts';
import type { GroupPageWire, PersonsPageWire } from './persons.ts';
import type { FaceStore } from '../store/port.ts';

type Schemas = components['schemas'];

export interface GroupsContext {
  store: FaceStore;
  /** Clock for the persons' remaining ttl, epoch ms. Default Date.now. */
  now?: () => number;
}

/** POST /api/groups → 201 Group. */
export function createGroup(ctx: GroupsContext, body: unknown): Promise<ApiResult<GroupWire | OperationLog>> {
  return answer(async () => {
    const fields = validateOrThrow<Schemas['GroupToCreate']>('POST /api/groups', body);
    const group = await ctx.store.createGroup({ name: fields.name, metadata: fields.metadata });
    return { status: 201, body: groupToWire(group) };
  });
}

/** GET /api/groups → 200 GroupPage, newest first. */
export function listGroups(ctx: GroupsContext, query?: PagingQuery): Promise<ApiResult<GroupPageWire | OperationLog>> {
  return answer(async () => {
    const page = await ctx.store.listGroups(parsePaging(query));
    return { status: 200, body: pageToWire(page, groupToWire) };
  });
}

/** GET /api/groups/{groupId} → 200 Group, 404. */
export function getGroup(ctx: GroupsContext, groupId: string): Promise<ApiResult<GroupWire | OperationLog>> {
  return answer(async () => {
    const group = await ctx.store.getGroup(groupId);
    if (!group) throw groupNotFound(groupId);
    return { status: 200, body: groupToWire(group) };
  });
}

/** PUT /api/groups/{groupId} → 204, 404. */
export function updateGroup(ctx: GroupsContext, groupId: string, body: unknown): Promise<ApiResult<OperationLog>> {
  return answer(async () => {
    const fields = validateOrThrow<Schemas['GroupToCreate']>('PUT /api/groups/{groupId}', body);
    await ctx.store.updateGroup(groupId, { name: fields.name, metadata: fields.metadata });
    return { status: 204 };
  });
}

/** DELETE /api/groups/{groupId} → 204, 404. Its persons stay (in their other groups, if any). */
export function deleteGroup(ctx: GroupsContext, groupId: string): Promise<ApiResult<OperationLog>> {
  return answer(async () => {
    await ctx.store.deleteGroup(groupId);
    return { status: 204 };
  });
}

/** GET /api/groups/{groupId}/persons → 200 PersonsPage, newest first; 404. */
export function listGroupPersons(ctx: GroupsContext, groupId: string, query?: PagingQuery): Promise<ApiResult<PersonsPageWire | OperationLog>> {
  return answer(async () => {
    const page = await ctx.store.listPersonsInGroup(groupId, parsePaging(query));
    const now = (ctx.now ?? Date.now)();
    return { status: 200, body: pageToWire(page, (person) => personToWire(person, now)) };
  });
}

/**
 * PUT /api/groups/{groupId}/persons {addItems, removeItems} → 204 in one transaction; 404 for an
 * unknown group or person (and then nothing changes).
 */
export function updateGroupPersons(ctx: GroupsContext, groupId: string, body: unknown): Promise<ApiResult<OperationLog>> {
  return answer(async () => {
    const request = validateOrThrow<Schemas['UpdateGroup']>('PUT /api/groups/{groupId}/persons', body);
    await ctx.store.updateGroupMembers(groupId, request.addItems ?? [], request.removeItems ?? []);
    return { status: 204 };
  });
}

function groupNotFound(groupId: string): ApiError {
  return new ApiError(404, `Group with id ${groupId} not found`, { entity: 'group', id: groupId });
}
