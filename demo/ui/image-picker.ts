/**
 * An image chooser: a file input plus "Use camera", with a preview. Gives the bytes (for the SDK,
 * as Base64) and an object URL (for drawing). Nothing is uploaded anywhere.
 */
import { h, uid } from './dom.ts';
import { capturePhoto } from './camera.ts';
import { encodeBase64 } from '../../src/api/image-input.ts';
import { messageOf } from '../../src/api/result-codes.ts';

export interface ChosenImage {
  name: string;
  bytes: Uint8Array;
  base64: string;
  /** Object URL of the bytes; revoked when the picker's image changes. */
  url: string;
}

export interface ImagePicker {
  element: HTMLElement;
  current(): ChosenImage | undefined;
  /** Forgets the chosen image (e.g. after it was enrolled). */
  clear(): void;
}

export function imagePicker(options: { label: string; name: string; onChange?: (image: ChosenImage | undefined) => void; onError?: (message: string) => void }): ImagePicker {
  const inputId = uid('file');
  let chosen: ChosenImage | undefined;
  const preview = h('img', { class: 'picker-preview', alt: '', hidden: true });
  const fileName = h('span', { class: 'picker-name', 'aria-live': 'polite' }, 'No image chosen');

  const set = async (blob: Blob, name: string): Promise<void> => {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    if (chosen) URL.revokeObjectURL(chosen.url);
    chosen = { name, bytes, base64: encodeBase64(bytes), url: URL.createObjectURL(blob) };
    preview.src = chosen.url;
    preview.alt = `${options.label}: ${name}`;
    preview.hidden = false;
    fileName.textContent = name;
    options.onChange?.(chosen);
  };

  const input = h('input', { type: 'file', id: inputId, accept: 'image/*', name: options.name, 'data-testid': `${options.name}-file` });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void set(file, file.name);
  });
  const camera = h('button', { type: 'button', 'data-testid': `${options.name}-camera` }, 'Use camera');
  camera.addEventListener('click', async () => {
    try {
      const blob = await capturePhoto();
      if (blob) await set(blob, `camera photo ${new Date().toLocaleTimeString()}`);
    } catch (error) {
      options.onError?.(messageOf(error));
    }
  });

  const element = h('fieldset', { class: 'picker' },
    h('legend', {}, options.label),
    // The (visually hidden) input sits inside its label: keyboard focus shows on the label.
    h('div', { class: 'row' }, h('label', { for: inputId, class: 'file-label' }, 'Choose a photo', input), camera),
    fileName,
    preview,
  );
  const clear = (): void => {
    if (chosen) URL.revokeObjectURL(chosen.url);
    chosen = undefined;
    input.value = '';
    preview.hidden = true;
    preview.removeAttribute('src');
    preview.alt = '';
    fileName.textContent = 'No image chosen';
  };
  return { element, current: () => chosen, clear };
}
