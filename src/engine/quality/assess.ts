/**
 * Runs the requested characteristics on one face and shapes the spec's DetectionQuality:
 * details (status 1 inside range, 0 outside, 2 undetermined), nonCompliant, detailsGroups (per
 * group: characteristics evaluated and compliant), score = compliant / determined (0 when none
 * determined), timer in seconds.
 */
import type { components } from '../../api/generated/openapi.ts';
import { FaceImageQualityGroupsStrings, FaceImageQualityStatus as S } from '../../api/generated/enums.ts';
import { CHARACTERISTICS, type GroupId, type QualityName } from './catalog.ts';
import { DEFAULT_RANGES, PRESETS, isPresetName } from './presets.ts';
import type { QualitySubject } from './subject.ts';

type Detection = components['schemas']['Detection'];
export type DetectionQuality = NonNullable<Detection['quality']>;
type QualityRequest = components['schemas']['QualityRequest'];
type Detail = components['schemas']['QualityDetail'];

export interface Requested { name: QualityName; range: [number, number] }

const GROUP_NAMES: Record<GroupId, components['schemas']['FaceImageQualityGroupsStrings']> = {
  1: FaceImageQualityGroupsStrings.IMAGE_CHARACTERISTICS, 2: FaceImageQualityGroupsStrings.HEAD_SIZE_AND_POSITIONS,
  3: FaceImageQualityGroupsStrings.FACE_QUALITY, 4: FaceImageQualityGroupsStrings.EYES_CHARACTERISTICS,
  5: FaceImageQualityGroupsStrings.SHADOWS_AND_LIGHTNING, 6: FaceImageQualityGroupsStrings.POSE_AND_EXPRESSION,
  7: FaceImageQualityGroupsStrings.HEAD_OCCLUSION, 8: FaceImageQualityGroupsStrings.BACKGROUND,
};

/**
 * What to evaluate: a known quality scenario's preset (the spec: a scenario ignores the explicit
 * parameters), else the explicit `quality.config` (unknown names skipped; a missing or malformed
 * range takes the default), else — `quality: {}` without a list — the QualityFull list.
 */
export function requestedCharacteristics(scenario: string | undefined, quality: QualityRequest | undefined): Requested[] {
  if (isPresetName(scenario)) {
    const p = PRESETS[scenario];
    return p.names.map((name) => ({ name, range: [...(p.ranges?.[name] ?? DEFAULT_RANGES[name])] as [number, number] }));
  }
  const config = quality?.config;
  if (!config || config.length === 0) return requestedCharacteristics('QualityFull', undefined);
  const seen = new Set<string>();
  const out: Requested[] = [];
  for (const c of config) {
    const name = c?.name;
    if (!name || !(name in CHARACTERISTICS) || seen.has(name)) continue;
    seen.add(name);
    const r = c.range;
    const range: [number, number] = Array.isArray(r) && r.length >= 2 && r.every((v) => typeof v === 'number' && Number.isFinite(v))
      ? [Math.min(r[0]!, r[1]!), Math.max(r[0]!, r[1]!)] : [...DEFAULT_RANGES[name]];
    out.push({ name, range });
  }
  return out;
}

export function statusOf(value: number | undefined, range: [number, number]): 0 | 1 | 2 {
  if (value === undefined || !Number.isFinite(value)) return S.QUALITY_STATUS_UNDETERMINED;
  return value >= range[0] && value <= range[1] ? S.QUALITY_STATUS_TRUE : S.QUALITY_STATUS_FALSE;
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

export async function assessQuality(subject: QualitySubject, requested: Requested[]): Promise<DetectionQuality> {
  const started = performance.now();
  const details: Detail[] = [];
  for (const { name, range } of requested) {
    const c = CHARACTERISTICS[name];
    let value: number | undefined;
    try { value = await c.measure(subject); } catch { value = undefined; }
    const status = statusOf(value, range);
    const d: Detail = { groupId: c.group, name, range, status };
    if (status !== S.QUALITY_STATUS_UNDETERMINED) d.value = round(value!);
    details.push(d);
  }
  const nonCompliant = details.filter((d) => d.status === S.QUALITY_STATUS_FALSE).map((d) => d.name!);
  const groups = new Map<GroupId, { total: number; ok: number }>();
  for (const d of details) {
    const g = groups.get(d.groupId!) ?? { total: 0, ok: 0 };
    g.total++;
    if (d.status === S.QUALITY_STATUS_TRUE) g.ok++;
    groups.set(d.groupId!, g);
  }
  const detailsGroups = [...groups.entries()].sort((a, b) => a[0] - b[0])
    .map(([groupId, g]) => ({ groupId, name: GROUP_NAMES[groupId], totalCount: g.total, compliantCount: g.ok }));
  const determined = details.filter((d) => d.status !== S.QUALITY_STATUS_UNDETERMINED).length;
  const compliant = details.filter((d) => d.status === S.QUALITY_STATUS_TRUE).length;
  return { details, nonCompliant, detailsGroups, score: determined > 0 ? round(compliant / determined) : 0, timer: (performance.now() - started) / 1000 };
}
