/** A page's main button: one run at a time, and any failure shown in the page's message area. */
import { messageOf } from '../../src/api/result-codes.ts';
import type { MessageArea } from './message.ts';

/**
 * On click: clears the message, disables the button while `run` works, and shows an exception
 * as "<what> could not run: …" instead of letting it escape the page.
 */
export function onAction(button: HTMLButtonElement, message: MessageArea, what: string, run: () => Promise<unknown>): void {
  button.addEventListener('click', async () => {
    message.clear();
    button.disabled = true;
    try {
      await run();
    } catch (error) {
      message.error(`${what} could not run: ${messageOf(error)}`);
    } finally {
      button.disabled = false;
    }
  });
}
