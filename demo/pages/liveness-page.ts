/**
 * Liveness: a guided camera check with <localface-liveness> (src/liveness), passive (hold still)
 * or active (follow head-turn prompts); then the result in words, the portrait and the session
 * video, and the history of this device's attempts (transaction ids kept in localStorage, the
 * transactions themselves in the SDK's liveness store). Degrades to an honest notice when this
 * build has no liveness module.
 */
import { h, uid } from '../ui/dom.ts';
import { messageArea } from '../ui/message.ts';
import { resultMessage } from '../result-messages.ts';
import { demoSession } from '../sdk-session.ts';
import type { FaceSdk } from '../../src/sdk.ts';
import type { Page } from './page.ts';
import { messageOf } from '../../src/api/result-codes.ts';

type LivenessModule = { defineLivenessElement?: () => void; LIVENESS_ELEMENT_NAME?: string };
// Lazy glob: a chunk when src/liveness/index.ts exists, nothing while it does not.
const livenessModules = import.meta.glob<LivenessModule>('../../src/liveness/index.ts');

interface TransactionInfo { code?: number; status?: number; tag?: string; transactionId?: string; type?: number; portrait?: string; video?: string; age?: Record<string, unknown>[] }
interface LivenessElement extends HTMLElement { sdk?: FaceSdk; start(): Promise<TransactionInfo>; abort(): void; running: boolean }

const HISTORY_KEY = 'localface-demo-liveness-history';
const HISTORY_MAX = 20;
const readHistory = (): string[] => { try { return JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]') as string[]; } catch { return []; } };
const remember = (id: string): void => localStorage.setItem(HISTORY_KEY, JSON.stringify([id, ...readHistory().filter((x) => x !== id)].slice(0, HISTORY_MAX)));
const forget = (id: string): void => localStorage.setItem(HISTORY_KEY, JSON.stringify(readHistory().filter((x) => x !== id)));

export const livenessPage: Page = {
  id: 'liveness',
  title: 'Liveness',
  async render(container) {
    const message = messageArea();
    container.append(h('h2', {}, 'Liveness'), message.element);
    const load = Object.values(livenessModules)[0];
    if (!load) {
      container.append(h('p', { class: 'note', 'data-testid': 'liveness-unavailable' },
        'Coming soon: the liveness check is not part of this build yet. Match, Detect, Gallery and Search work now.'));
      return;
    }
    const mod = await load();
    mod.defineLivenessElement?.();
    const elementName = mod.LIVENESS_ELEMENT_NAME ?? 'localface-liveness';
    if (!customElements.get(elementName)) {
      container.append(h('p', { class: 'note' }, 'The liveness module is present but defines no <localface-liveness> element.'));
      return;
    }

    const modeId = uid('mode'), timeoutId = uid('timeout');
    const mode = h('select', { id: modeId }, h('option', { value: 'passive' }, 'Passive: look at the camera'), h('option', { value: 'active' }, 'Active: follow the head-turn prompts'));
    const timeout = h('select', { id: timeoutId }, [10, 30, 60].map((s) => h('option', { value: s * 1000, selected: s === 30 }, `${s} seconds`)));
    const start = h('button', { type: 'button', class: 'primary', 'data-testid': 'liveness-start' }, 'Start liveness check');
    const abort = h('button', { type: 'button', disabled: true }, 'Cancel');
    const element = document.createElement(elementName) as LivenessElement;
    element.classList.add('liveness-element');
    const result = h('section', { 'aria-label': 'Liveness result', 'data-testid': 'liveness-result' });
    const history = h('ol', { class: 'history', 'data-testid': 'liveness-history' });

    const sdk = (await demoSession()).sdk;
    element.sdk = sdk;

    const card = (info: TransactionInfo, onDelete?: () => void): HTMLElement => {
      const passed = info.status === 0;
      const age = info.age?.[0] as { age?: number; low?: number; high?: number } | undefined;
      return h('article', { class: 'card liveness-card', 'data-code': String(info.code ?? ''), 'data-status': String(info.status ?? '') },
        h('p', { class: `verdict ${passed ? 'pass' : 'fail'}` }, passed ? '✓ Live person confirmed' : '✗ Not confirmed'),
        h('p', { 'data-testid': 'liveness-message' }, resultMessage(info.code)),
        h('p', { class: 'muted' }, `${info.type === 0 ? 'Active' : 'Passive'} · session ${info.tag ?? '—'} · transaction ${info.transactionId ?? '—'}`,
          age?.low !== undefined ? ` · estimated age ${age.low}–${age.high}` : ''),
        h('div', { class: 'media' },
          info.portrait ? h('img', { src: info.portrait, alt: 'Portrait taken during the check', class: 'crop' }) : h('span', { class: 'muted' }, 'No portrait (no usable face was seen).'),
          info.video ? h('video', { src: info.video, controls: true, preload: 'metadata', 'aria-label': 'Recording of the check' }) : ''),
        onDelete ? h('button', { type: 'button', class: 'danger', onclick: onDelete }, 'Delete this attempt') : '');
    };

    const showHistory = async (): Promise<void> => {
      const ids = readHistory();
      const rows = await Promise.all(ids.map(async (id) => {
        const r = await sdk.getLivenessTransactionInfo(id);
        if (r.status !== 200) { forget(id); return undefined; }
        return h('li', {}, card(r.body as TransactionInfo, async () => {
          await sdk.deleteLivenessTransaction(id);
          forget(id);
          await showHistory();
        }));
      }));
      const items = rows.filter((r): r is HTMLLIElement => r !== undefined);
      history.replaceChildren(...(items.length ? items : [h('li', { class: 'muted' }, 'No attempts on this device yet.')]));
    };

    start.addEventListener('click', async () => {
      message.clear();
      result.replaceChildren();
      element.setAttribute('type', mode.value);
      element.setAttribute('timeout', timeout.value);
      start.disabled = true; abort.disabled = false;
      try {
        const info = await element.start();
        if (info.transactionId) remember(info.transactionId);
        result.append(card(info));
        message.code(info.code ?? 0);
        await showHistory();
      } catch (error) {
        const name = error instanceof DOMException ? error.name : '';
        message.error(name === 'NotAllowedError' ? 'Camera permission was refused: the liveness check needs the camera.'
          : name === 'NotFoundError' ? 'No camera was found on this device.'
            : `The liveness check could not run: ${messageOf(error)}`);
      } finally {
        start.disabled = false; abort.disabled = true;
      }
    });
    abort.addEventListener('click', () => element.abort());

    container.append(
      h('p', { class: 'lead' }, 'Is a live person in front of the camera? The video and portrait are stored only on this device.'),
      h('div', { class: 'row' }, h('label', { for: modeId }, 'Mode'), mode, h('label', { for: timeoutId }, 'Time limit'), timeout),
      h('div', { class: 'row' }, start, abort),
      element, result,
      h('h3', {}, 'Attempts on this device'), history,
    );
    await showHistory();
    return () => { if (element.running) element.abort(); };
  },
};
