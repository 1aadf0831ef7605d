/** Hash routes (#/match, #/detect, …): one page at a time in <main>, the nav link marked current. */
import type { Page } from './pages/page.ts';

export function startRouter(pages: Page[], outlet: HTMLElement, nav: HTMLElement, fallback: Page): void {
  let leave: (() => void) | void;
  const show = async (): Promise<void> => {
    const id = location.hash.replace(/^#\/?/, '');
    const page = pages.find((p) => p.id === id) ?? fallback;
    leave?.();
    leave = undefined;
    outlet.replaceChildren();
    outlet.dataset.page = page.id;
    document.title = `${page.title} · localface`;
    for (const link of nav.querySelectorAll<HTMLAnchorElement>('a[data-page]')) {
      if (link.dataset.page === page.id) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    leave = await page.render(outlet);
    // Move focus to the page heading so keyboard and screen-reader users land on the new content.
    outlet.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
    if (id) outlet.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  };
  window.addEventListener('hashchange', () => void show());
  void show();
}
