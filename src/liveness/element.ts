/**
 * <localface-liveness>: a framework-free custom element around startLiveness().
 *
 *   const el = document.createElement('localface-liveness');
 *   el.sdk = await createFaceSdk();
 *   el.setAttribute('type', 'active');           // or 'passive' (default)
 *   el.setAttribute('tag', 'kiosk-7');            // optional session tag
 *   el.addEventListener('localface-liveness-done', (e) => e.detail);   // TransactionInfo
 *   const info = await el.start();                // or el.abort()
 *
 * Attributes: type (active|passive), tag, timeout (ms), passive-frames (count). Events: localface-liveness-prompt
 * (detail: guidance text), localface-liveness-done (detail: TransactionInfo),
 * localface-liveness-error (detail: Error). Parts for styling: video, prompt.
 */
import type { FaceSdk } from '../sdk.ts';
import { startLiveness, type LivenessSession } from './capture.ts';
import { LIVENESS_ACTIVE, LIVENESS_PASSIVE, type TransactionInfo } from './transaction.ts';

export const LIVENESS_ELEMENT_NAME = 'localface-liveness';

const STYLE = `
:host { display: inline-block; position: relative; width: 320px; }
.stage { position: relative; width: 100%; aspect-ratio: 4 / 3; background: #111; overflow: hidden; border-radius: 8px; }
.stage video { width: 100%; height: 100%; object-fit: cover; }
.prompt { margin: 0.5em 0 0; font: 500 1rem/1.3 system-ui, sans-serif; text-align: center; min-height: 1.3em; }
`;

/** Defined lazily so importing this module in Node (no HTMLElement) is harmless. */
export function defineLivenessElement(name = LIVENESS_ELEMENT_NAME): void {
  if (typeof customElements === 'undefined' || customElements.get(name)) return;

  class LocalfaceLivenessElement extends HTMLElement {
    sdk: FaceSdk | undefined;
    private session: LivenessSession | undefined;
    private readonly stage: HTMLDivElement;
    private readonly promptEl: HTMLParagraphElement;

    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      const style = document.createElement('style');
      style.textContent = STYLE;
      this.stage = document.createElement('div');
      this.stage.className = 'stage';
      this.stage.setAttribute('part', 'video');
      this.promptEl = document.createElement('p');
      this.promptEl.className = 'prompt';
      this.promptEl.setAttribute('part', 'prompt');
      this.promptEl.setAttribute('role', 'status');
      this.promptEl.setAttribute('aria-live', 'polite');
      root.append(style, this.stage, this.promptEl);
    }

    get running(): boolean { return this.session !== undefined; }

    async start(): Promise<TransactionInfo> {
      if (!this.sdk) throw new Error('<localface-liveness>: set the sdk property first');
      if (this.session) throw new Error('<localface-liveness>: an attempt is already running');
      const timeout = Number(this.getAttribute('timeout'));
      const passiveFrames = Number(this.getAttribute('passive-frames'));
      const tag = this.getAttribute('tag');
      this.session = startLiveness({
        sdk: this.sdk,
        type: this.getAttribute('type') === 'active' ? LIVENESS_ACTIVE : LIVENESS_PASSIVE,
        ...(tag ? { tag } : {}),
        ...(timeout > 0 ? { timeoutMs: timeout } : {}),
        ...(Number.isInteger(passiveFrames) && passiveFrames > 0 ? { passiveFrames } : {}),
        container: this.stage,
        onPrompt: (text) => {
          this.promptEl.textContent = text;
          this.dispatchEvent(new CustomEvent('localface-liveness-prompt', { detail: text }));
        },
      });
      try {
        const info = await this.session.result;
        this.dispatchEvent(new CustomEvent('localface-liveness-done', { detail: info }));
        return info;
      } catch (error) {
        this.dispatchEvent(new CustomEvent('localface-liveness-error', { detail: error }));
        throw error;
      } finally {
        this.session = undefined;
      }
    }

    abort(): void { this.session?.abort(); }

    disconnectedCallback(): void { this.abort(); }
  }

  customElements.define(name, LocalfaceLivenessElement);
}
