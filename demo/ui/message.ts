/** A live region for results and errors, so screen readers announce them. */
import { h } from './dom.ts';
import { resultCodeName, resultMessage } from '../result-messages.ts';

export interface MessageArea {
  element: HTMLElement;
  info(text: string): void;
  error(text: string): void;
  /** The human message of a spec result code, with the code name in small print. */
  code(code: number | undefined, detail?: string): void;
  clear(): void;
}

export function messageArea(): MessageArea {
  const element = h('div', { class: 'message', role: 'status', 'aria-live': 'polite' });
  const show = (kind: 'info' | 'error', ...content: (string | HTMLElement)[]): void => {
    element.className = `message ${kind}`;
    element.replaceChildren(...content);
  };
  return {
    element,
    info: (text) => show('info', text),
    error: (text) => show('error', text),
    code(code, detail) {
      const small = h('small', { class: 'muted' }, ` (${code === undefined ? 'no code' : resultCodeName(code)}${detail ? `: ${detail}` : ''})`);
      show(code === 0 ? 'info' : 'error', h('span', { 'data-testid': 'result-message' }, resultMessage(code)), small);
    },
    clear: () => { element.className = 'message'; element.replaceChildren(); },
  };
}
