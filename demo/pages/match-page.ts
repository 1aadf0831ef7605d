/**
 * Match (1:1): two photos from files or the camera → similarity of the faces and the decision at
 * the engine's default threshold, with the faces drawn on both photos.
 */
import { h, percent } from '../ui/dom.ts';
import { imagePicker } from '../ui/image-picker.ts';
import { onAction } from '../ui/action.ts';
import { messageArea } from '../ui/message.ts';
import { withBusy } from '../ui/progress.ts';
import { drawFaces } from '../ui/face-overlay.ts';
import { demoSession } from '../sdk-session.ts';
import { SIMILARITY_AT_THRESHOLD } from '../../src/engine/calibration.ts';
import type { Page } from './page.ts';

export const matchPage: Page = {
  id: 'match',
  title: 'Match',
  render(container) {
    const message = messageArea();
    const first = imagePicker({ label: 'First photo', name: 'match-first', onError: message.error });
    const second = imagePicker({ label: 'Second photo', name: 'match-second', onError: message.error });
    const button = h('button', { type: 'button', class: 'primary', 'data-testid': 'match-run' }, 'Compare faces');
    const busy = h('div', {});
    const result = h('section', { class: 'match-result', 'aria-label': 'Match result', 'data-testid': 'match-result' });
    const canvases = [h('canvas', { class: 'photo' }), h('canvas', { class: 'photo' })] as const;

    onAction(button, message, 'The comparison', async () => {
      const a = first.current(), b = second.current();
      result.replaceChildren();
      if (!a || !b) return message.code(224);
      const session = await demoSession();
      const reply = await withBusy(busy, 'Comparing faces…', () => session.sdk.match({ images: [{ index: 0, type: 3, data: a.base64 }, { index: 1, type: 3, data: b.base64 }] }));
      if (reply.code !== 0) return message.code(reply.code, reply.msg);
      const failed = (reply.detections ?? []).find((d) => d.status !== 0);
      const pairs = reply.results ?? [];
      await Promise.all([a, b].map((img, i) => drawFaces(canvases[i]!, img.url,
        (reply.detections?.find((d) => d.imageIndex === i)?.faces ?? []).map((f) => ({ roi: f.roi ?? [], landmarks: f.landmarks ?? [] })), 360)));
      result.append(h('div', { class: 'photos' }, canvases[0], canvases[1]));
      if (failed || pairs.length === 0) {
        const which = failed?.imageIndex === 1 ? 'second' : 'first';
        return message.code(failed?.status ?? 2, `${which} photo`);
      }
      const best = pairs.reduce((x, y) => ((y.similarity ?? 0) > (x.similarity ?? 0) ? y : x));
      const similarity = best.similarity ?? 0;
      const same = similarity >= SIMILARITY_AT_THRESHOLD;
      const threshold = session.sdk.engine.config.calibration.threshold;
      result.prepend(
        h('p', { class: `verdict ${same ? 'pass' : 'fail'}`, 'data-testid': 'match-verdict', 'data-same': String(same) },
          same ? '✓ Same person' : '✗ Different people'),
        h('dl', { class: 'kv' },
          h('dt', {}, 'Similarity'), h('dd', { 'data-testid': 'match-similarity', 'data-value': String(similarity) }, percent(similarity)),
          h('dt', {}, 'Decision threshold'), h('dd', { 'data-testid': 'match-threshold', 'data-value': String(SIMILARITY_AT_THRESHOLD) },
            `${percent(SIMILARITY_AT_THRESHOLD, 0)} similarity (face distance ≤ ${threshold.toFixed(3)}, the engine's default)`),
          h('dt', {}, 'Distance'), h('dd', {}, (best.score ?? 0).toFixed(4))),
      );
    });

    container.append(
      h('h2', {}, 'Match two faces'),
      h('p', { class: 'lead' }, 'Are these two photos of the same person? Both photos stay on this device.'),
      h('div', { class: 'pickers' }, first.element, second.element),
      h('div', { class: 'row' }, button), busy, message.element, result,
    );
  },
};
