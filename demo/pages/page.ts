/** What the router needs from a page module. */
export interface Page {
  /** The hash route: '#/match' → 'match'. */
  id: string;
  title: string;
  /** Fills the container; the returned function (if any) runs when the user leaves the page. */
  render(container: HTMLElement): void | (() => void) | Promise<void | (() => void)>;
}
