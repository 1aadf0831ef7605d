/**
 * The quality report of one face (Detection.quality) as a checklist grouped like the spec's
 * FaceImageQualityGroups, with pass / fail / undetermined per characteristic. Works with partial
 * answers: missing groups, details without ranges, or no quality at all.
 */
import { h, percent } from './dom.ts';
import { FaceImageQualityGroups, FaceImageQualityStatus } from '../../src/api/generated/enums.ts';

interface QualityDetail { groupId?: number; name?: string; status?: number; value?: number; range?: number[] }
interface QualityGroup { groupId?: number; name?: string; compliantCount?: number; totalCount?: number }
export interface QualityReport { details?: QualityDetail[]; detailsGroups?: QualityGroup[]; nonCompliant?: string[]; score?: number; timer?: number }

const GROUP_TITLES: Record<number, string> = {
  [FaceImageQualityGroups.IMAGE_CHARACTERISTICS]: 'Image characteristics',
  [FaceImageQualityGroups.HEAD_SIZE_AND_POSITIONS]: 'Head size and position',
  [FaceImageQualityGroups.FACE_QUALITY]: 'Face quality',
  [FaceImageQualityGroups.EYES_CHARACTERISTICS]: 'Eyes',
  [FaceImageQualityGroups.SHADOWS_AND_LIGHTNING]: 'Shadows and lighting',
  [FaceImageQualityGroups.POSE_AND_EXPRESSION]: 'Pose and expression',
  [FaceImageQualityGroups.HEAD_OCCLUSION]: 'Head occlusion',
  [FaceImageQualityGroups.BACKGROUND]: 'Background',
};

/** "EyeRightClosed" → "Eye right closed". */
export const humanizeName = (name: string): string =>
  name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2').toLowerCase().replace(/^./, (c) => c.toUpperCase());

const STATUS_VIEW: Record<number, { mark: string; text: string; cls: string }> = {
  [FaceImageQualityStatus.QUALITY_STATUS_TRUE]: { mark: '✓', text: 'pass', cls: 'pass' },
  [FaceImageQualityStatus.QUALITY_STATUS_FALSE]: { mark: '✗', text: 'fail', cls: 'fail' },
  [FaceImageQualityStatus.QUALITY_STATUS_UNDETERMINED]: { mark: '?', text: 'undetermined', cls: 'unknown' },
};

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 2 : 1));

export function qualityChecklist(quality: QualityReport | undefined): HTMLElement {
  if (!quality || !Array.isArray(quality.details)) {
    return h('p', { class: 'note' }, 'No quality report: this build of localface does not assess portrait quality yet.');
  }
  const groups = new Map<number, QualityDetail[]>();
  for (const d of quality.details) {
    const g = d.groupId ?? 0;
    groups.set(g, [...(groups.get(g) ?? []), d]);
  }
  const groupInfo = new Map((quality.detailsGroups ?? []).map((g) => [g.groupId ?? 0, g]));
  const order = [...groups.keys()].sort((a, b) => a - b);
  const passed = quality.details.filter((d) => d.status === FaceImageQualityStatus.QUALITY_STATUS_TRUE).length;

  return h('section', { class: 'quality', 'aria-label': 'Quality report' },
    h('p', { class: 'quality-summary' },
      `${passed} of ${quality.details.length} checks passed`,
      typeof quality.score === 'number' && quality.score >= 0 ? ` · overall score ${percent(quality.score, 0)}` : '',
    ),
    order.map((groupId) => {
      const info = groupInfo.get(groupId);
      const title = GROUP_TITLES[groupId] ?? (info?.name ? humanizeName(info.name) : 'Other');
      const items = groups.get(groupId)!;
      const compliant = info?.compliantCount ?? items.filter((d) => d.status === FaceImageQualityStatus.QUALITY_STATUS_TRUE).length;
      const total = info?.totalCount ?? items.length;
      return h('details', { class: 'quality-group', open: compliant < total },
        h('summary', {}, h('span', { class: compliant === total ? 'pass' : 'fail' }, `${title}`), ` — ${compliant}/${total} compliant`),
        h('ul', { class: 'checklist' }, items.map((d) => {
          const view = STATUS_VIEW[d.status ?? FaceImageQualityStatus.QUALITY_STATUS_UNDETERMINED] ?? STATUS_VIEW[FaceImageQualityStatus.QUALITY_STATUS_UNDETERMINED]!;
          const range = Array.isArray(d.range) && d.range.length === 2 ? ` (allowed ${fmt(d.range[0]!)}–${fmt(d.range[1]!)})` : '';
          return h('li', { class: view.cls, 'data-status': view.text },
            h('span', { class: 'mark', 'aria-hidden': 'true' }, view.mark),
            h('span', { class: 'sr-only' }, `${view.text}: `),
            h('span', { class: 'check-name' }, humanizeName(d.name ?? 'unnamed')),
            h('span', { class: 'check-value' }, typeof d.value === 'number' ? ` ${fmt(d.value)}${range}` : range));
        })));
    }),
  );
}

interface AttributeDetail { name?: string; value?: unknown; confidence?: number; range?: unknown }
export interface AttributesReport { details?: AttributeDetail[]; elapsedTime?: number }

export function attributesList(attributes: AttributesReport | undefined): HTMLElement {
  if (!attributes || !Array.isArray(attributes.details)) {
    return h('p', { class: 'note' }, 'No attributes: this build of localface does not estimate face attributes yet.');
  }
  const show = (v: unknown): string => {
    if (Array.isArray(v)) return v.length === 2 && v.every((x) => typeof x === 'number') ? `${v[0]}–${v[1]}` : v.map(String).join(', ');
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v === 'number') return fmt(v);
    if (v && typeof v === 'object') return JSON.stringify(v);
    return String(v ?? '—');
  };
  return h('dl', { class: 'attributes', 'aria-label': 'Face attributes' }, attributes.details.flatMap((d) => [
    h('dt', {}, humanizeName(String(d.name ?? 'attribute'))),
    h('dd', {}, show(d.value ?? d.range), typeof d.confidence === 'number' ? h('span', { class: 'muted' }, ` (confidence ${percent(d.confidence, 0)})`) : ''),
  ]));
}
