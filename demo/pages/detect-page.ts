/**
 * Detect: every face of a photo with its box, five landmarks and aligned crop drawn; optionally the
 * portrait quality checklist (a scenario such as ICAO) and face attributes, when this build has them.
 */
import { h } from '../ui/dom.ts';
import { imagePicker } from '../ui/image-picker.ts';
import { onAction } from '../ui/action.ts';
import { messageArea } from '../ui/message.ts';
import { withBusy } from '../ui/progress.ts';
import { drawFaces } from '../ui/face-overlay.ts';
import { qualityChecklist, attributesList, type QualityReport, type AttributesReport } from '../ui/quality-checklist.ts';
import { demoSession } from '../sdk-session.ts';
import { FaceAttribute } from '../../src/api/generated/enums.ts';
import type { Page } from './page.ts';

const QUALITY_SCENARIOS: [string, string][] = [
  ['', 'No quality check'],
  ['QualityFull', 'Full quality report'],
  ['QualityICAO', 'ICAO (passport photo)'],
  ['QualityVisaSchengen', 'Schengen visa photo'],
  ['QualityVisaUSA', 'US visa photo'],
];

export const detectPage: Page = {
  id: 'detect',
  title: 'Detect',
  render(container) {
    const message = messageArea();
    const picker = imagePicker({ label: 'Photo', name: 'detect-photo', onError: message.error });
    const allFaces = h('input', { type: 'checkbox', id: 'detect-all', checked: true });
    const crops = h('input', { type: 'checkbox', id: 'detect-crops', checked: true });
    const attributes = h('input', { type: 'checkbox', id: 'detect-attributes' });
    const scenario = h('select', { id: 'detect-quality' }, QUALITY_SCENARIOS.map(([v, t]) => h('option', { value: v }, t)));
    const button = h('button', { type: 'button', class: 'primary', 'data-testid': 'detect-run' }, 'Find faces');
    const busy = h('div', {});
    const result = h('section', { 'aria-label': 'Detection result', 'data-testid': 'detect-result' });

    onAction(button, message, 'Detection', async () => {
      const image = picker.current();
      result.replaceChildren();
      if (!image) return message.code(1);
      const session = await demoSession();
      // A quality scenario covers the central face only (spec presets); the options apply otherwise.
      const processParam: Record<string, unknown> = scenario.value
        ? { scenario: scenario.value, onlyCentralFace: true, outputImageParams: { crop: { type: 0 } }, quality: {} }
        : { onlyCentralFace: !allFaces.checked, ...(crops.checked ? { outputImageParams: { crop: { type: 0 } } } : {}) };
      if (attributes.checked) processParam.attributes = { config: Object.values(FaceAttribute).map((name) => ({ name })) };
      const reply = await withBusy(busy, 'Finding faces…', () => session.sdk.detect({ image: image.base64, processParam }));
      if (reply.code !== 0 || !reply.results) return message.code(reply.code, reply.msg);
      const detections = reply.results.detections;
      // A scenario preset ignores explicit parameters (spec), attributes included: ask for them apart.
      if (scenario.value && attributes.checked && detections[0]) {
        const extra = await withBusy(busy, 'Estimating attributes…', () => session.sdk.detect({ image: image.base64, processParam: { onlyCentralFace: true, attributes: processParam.attributes } }));
        const central = extra.results?.detections[0];
        if (central?.attributes) detections[0].attributes = central.attributes;
      }
      const canvas = h('canvas', { class: 'photo', 'data-testid': 'detect-canvas' });
      await drawFaces(canvas, image.url, detections.map((d) => ({ roi: d.roi, landmarks: d.landmarks })));
      message.info(`${detections.length} face${detections.length === 1 ? '' : 's'} found in ${((reply.results.timer ?? 0) * 1000).toFixed(0)} ms.`);
      result.append(
        h('p', { class: 'verdict', 'data-testid': 'detect-count', 'data-count': String(detections.length) }, `${detections.length} face${detections.length === 1 ? '' : 's'}`),
        canvas,
        h('ol', { class: 'faces' }, detections.map((d, i) => h('li', { class: 'face-card' },
          h('h3', {}, `Face ${i + 1}`),
          d.crop ? h('img', { class: 'crop', src: `data:image/jpeg;base64,${d.crop}`, alt: `Aligned crop of face ${i + 1}` }) : '',
          h('p', { class: 'muted' }, `Box ${d.roi.map((v) => Math.round(v)).join(', ')} (x, y, width, height)`),
          scenario.value || (d as { quality?: unknown }).quality ? [h('h4', {}, 'Quality'), qualityChecklist((d as { quality?: QualityReport }).quality)] : '',
          attributes.checked ? [h('h4', {}, 'Attributes'), attributesList((d as { attributes?: AttributesReport }).attributes)] : '',
        ))),
      );
    });

    container.append(
      h('h2', {}, 'Detect faces'),
      h('p', { class: 'lead' }, 'Boxes, landmarks (eyes, nose, mouth corners) and aligned crops; optional quality checklist and attributes.'),
      picker.element,
      h('fieldset', { class: 'options' }, h('legend', {}, 'Options'),
        h('div', { class: 'row' }, allFaces, h('label', { for: 'detect-all' }, 'All faces (not only the central one)')),
        h('div', { class: 'row' }, crops, h('label', { for: 'detect-crops' }, 'Aligned crops')),
        h('div', { class: 'row' }, attributes, h('label', { for: 'detect-attributes' }, 'Attributes (age, emotion, glasses…)')),
        h('div', { class: 'row' }, h('label', { for: 'detect-quality' }, 'Quality check'), scenario)),
      h('div', { class: 'row' }, button), busy, message.element, result,
    );
  },
};
