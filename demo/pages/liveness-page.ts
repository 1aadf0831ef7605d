/**
 * Liveness: uses the liveness module (src/liveness: a <localface-liveness> element and
 * startLiveness()) when this build has it; otherwise says plainly that it is not available yet.
 */
import { h } from '../ui/dom.ts';
import { messageArea } from '../ui/message.ts';
import type { Page } from './page.ts';

type LivenessModule = Record<string, unknown>;
// Lazy glob: a chunk when src/liveness/index.ts exists, nothing while it does not.
const livenessModules = import.meta.glob<LivenessModule>('../../src/liveness/index.ts');

export const livenessPage: Page = {
  id: 'liveness',
  title: 'Liveness',
  async render(container) {
    const message = messageArea();
    container.append(h('h2', {}, 'Liveness'), message.element);
    const load = Object.values(livenessModules)[0];
    if (!load) {
      container.append(h('p', { class: 'note', 'data-testid': 'liveness-unavailable' },
        'Coming soon: the liveness check (guided capture with the camera, result and transaction history) is not part of this build yet. ',
        'Match, Detect, Gallery and Search work now.'));
      return;
    }
    try {
      const mod = await load();
      if (!customElements.get('localface-liveness') && typeof mod.defineLivenessElement === 'function') (mod.defineLivenessElement as () => void)();
      if (customElements.get('localface-liveness')) {
        container.append(h('p', { class: 'lead' }, 'Look at the camera and follow the instructions. The video never leaves this device.'),
          document.createElement('localface-liveness'));
      } else if (typeof mod.startLiveness === 'function') {
        const host = h('div', { class: 'liveness-host' });
        const start = h('button', { type: 'button', class: 'primary' }, 'Start liveness check');
        start.addEventListener('click', async () => {
          try {
            const result = await (mod.startLiveness as (o: { container: HTMLElement }) => Promise<{ code?: number }>)({ container: host });
            message.code(result?.code ?? 0);
          } catch (error) {
            message.error(`The liveness check could not run: ${error instanceof Error ? error.message : String(error)}`);
          }
        });
        container.append(start, host);
      } else {
        container.append(h('p', { class: 'note' }, 'The liveness module is present but exposes neither <localface-liveness> nor startLiveness().'));
      }
    } catch (error) {
      message.error(`The liveness module could not load: ${error instanceof Error ? error.message : String(error)}`);
    }
  },
};
