/** A labelled progress bar (native <progress>, so assistive tech reads its value). */
import { h, uid } from './dom.ts';

export interface ProgressBar {
  element: HTMLElement;
  /** fraction 0..1, or undefined for an indeterminate bar; detail is the text beside it. */
  set(fraction: number | undefined, detail?: string): void;
}

export function progressBar(label: string): ProgressBar {
  const id = uid('progress');
  const bar = h('progress', { id, max: 1 });
  const detail = h('span', { class: 'progress-detail' });
  const element = h('div', { class: 'progress' }, h('label', { for: id }, label), bar, detail);
  return {
    element,
    set(fraction, text) {
      if (fraction === undefined) bar.removeAttribute('value');
      else bar.value = Math.max(0, Math.min(1, fraction));
      detail.textContent = text ?? '';
    },
  };
}

/** Shows an indeterminate "working" bar in `host` while `work` runs. */
export async function withBusy<T>(host: HTMLElement, label: string, work: () => Promise<T>): Promise<T> {
  const bar = progressBar(label);
  bar.set(undefined);
  bar.element.classList.add('busy');
  host.replaceChildren(bar.element);
  host.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    host.removeAttribute('aria-busy');
    bar.element.remove();
  }
}
