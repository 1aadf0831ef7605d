/**
 * Search (1:N): a query photo from a file or the camera → the enrolled persons whose faces are
 * closest, ranked, with similarity and the matching enrolled photos as thumbnails.
 */
import { h, percent, uid } from '../ui/dom.ts';
import { imagePicker } from '../ui/image-picker.ts';
import { onAction } from '../ui/action.ts';
import { messageArea } from '../ui/message.ts';
import { withBusy } from '../ui/progress.ts';
import { gallerySdk } from '../sdk-session.ts';
import { httpMessage } from '../result-messages.ts';
import { SIMILARITY_AT_THRESHOLD } from '../../src/engine/calibration.ts';
import type { Page } from './page.ts';

interface FoundImage { id?: string; similarity?: number; distance?: number; content?: string; contentType?: string }
interface FoundPerson { id?: string; name?: string; images?: FoundImage[] }

export const searchPage: Page = {
  id: 'search',
  title: 'Search',
  render(container) {
    const message = messageArea();
    const picker = imagePicker({ label: 'Query photo', name: 'search-photo', onError: message.error });
    const groupSelect = h('select', { id: uid('search-group') }, h('option', { value: '' }, 'All groups'));
    const limit = h('input', { id: uid('search-limit'), type: 'number', min: 1, max: 100, value: 5, inputmode: 'numeric' });
    const button = h('button', { type: 'button', class: 'primary', 'data-testid': 'search-run' }, 'Search the gallery');
    const busy = h('div', {});
    const result = h('section', { 'aria-label': 'Search results', 'data-testid': 'search-result' });

    void gallerySdk().then(async (sdk) => {
      const r = await sdk.getAllGroups({ page: 1, size: 1000 });
      const groups = r.status === 200 ? ((r.body as { items?: { id: string; name: string }[] }).items ?? []) : [];
      groupSelect.append(...groups.map((g) => h('option', { value: g.id }, g.name)));
    }).catch(() => undefined);

    onAction(button, message, 'The search', async () => {
      const image = picker.current();
      result.replaceChildren();
      if (!image) return message.code(1);
      const sdk = await gallerySdk();
      const request = { image: { content: image.base64 }, limit: Math.max(1, Math.min(100, Number(limit.value) || 5)), ...(groupSelect.value ? { groupIds: [groupSelect.value] } : {}) };
      const r = await withBusy(busy, 'Searching…', () => sdk.search(request, { withImages: true }));
      const body = r.body as { code?: number; persons?: FoundPerson[]; msg?: string };
      if (r.status >= 300) return message.error(httpMessage(r.status, r.body));
      if (body.code !== undefined && body.code !== 0) return message.code(body.code, body.msg);
      const persons = body.persons ?? [];
      if (persons.length === 0) {
        message.info(`Nobody in the gallery looks like this person (no one reaches ${percent(SIMILARITY_AT_THRESHOLD, 0)} similarity).`);
        return;
      }
      message.info(`${persons.length} match${persons.length === 1 ? '' : 'es'}, best first.`);
      result.append(h('ol', { class: 'ranked' }, persons.map((p, rank) => {
        const best = Math.max(...(p.images ?? []).map((i) => i.similarity ?? 0), 0);
        return h('li', { class: 'card result', 'data-person': p.name ?? '', 'data-similarity': String(best) },
          h('h3', {}, `${rank + 1}. ${p.name ?? '(unnamed)'}`),
          h('p', {}, h('strong', {}, `${percent(best)} similar`), h('span', { class: 'muted' }, ` · threshold ${percent(SIMILARITY_AT_THRESHOLD, 0)}`)),
          h('ul', { class: 'thumbs' }, (p.images ?? []).filter((i) => i.content).map((i) =>
            h('li', { class: 'thumb' }, h('img', { src: `data:${i.contentType ?? 'image/jpeg'};base64,${i.content}`, alt: `Enrolled photo of ${p.name ?? 'this person'}, ${percent(i.similarity ?? 0)} similar` })))));
      })));
    });

    container.append(
      h('h2', {}, 'Search the gallery'),
      h('p', { class: 'lead' }, 'Who is this? The photo is compared with every enrolled face on this device.'),
      picker.element,
      h('div', { class: 'row' }, h('label', { for: groupSelect.id }, 'Group'), groupSelect, h('label', { for: limit.id }, 'At most'), limit),
      h('div', { class: 'row' }, button), busy, message.element, result,
    );
  },
};
