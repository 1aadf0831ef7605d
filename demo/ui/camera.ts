/**
 * Takes one photo with the device camera in a modal dialog (getUserMedia → canvas → JPEG bytes).
 * The stream stops as soon as the dialog closes; frames never leave the page.
 */
import { h } from './dom.ts';

export class CameraUnavailableError extends Error {
  override readonly name = 'CameraUnavailableError';
}

export async function capturePhoto(): Promise<Blob | undefined> {
  if (!navigator.mediaDevices?.getUserMedia) throw new CameraUnavailableError('This browser gives no camera access (it needs a secure context).');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user', width: { ideal: 1280 } }, audio: false });
  } catch (error) {
    const name = error instanceof DOMException ? error.name : '';
    throw new CameraUnavailableError(name === 'NotAllowedError'
      ? 'Camera permission was refused. Allow the camera in the browser settings, or choose a file instead.'
      : name === 'NotFoundError' ? 'No camera was found on this device. Choose a file instead.'
        : 'The camera could not be started. Choose a file instead.');
  }
  const video = h('video', { autoplay: true, playsinline: true, muted: true, 'aria-label': 'Camera preview' });
  video.srcObject = stream;
  const capture = h('button', { type: 'button', class: 'primary' }, 'Take photo');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const dialog = h('dialog', { class: 'camera-dialog', 'aria-label': 'Camera' }, video, h('div', { class: 'row' }, capture, cancel));
  document.body.append(dialog);
  dialog.showModal();
  // Listen before anything is awaited: a quick click must not be lost.
  const choice = new Promise<boolean>((resolve) => {
    capture.addEventListener('click', () => resolve(true), { once: true });
    cancel.addEventListener('click', () => resolve(false), { once: true });
    dialog.addEventListener('cancel', () => resolve(false), { once: true });
  });
  try {
    await video.play().catch(() => undefined);
    if (!(await choice)) return undefined;
    // A click before the first frame arrived waits for it.
    for (let i = 0; i < 50 && video.videoWidth === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth || 640;
    canvas.height = video.videoHeight || 480;
    canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob | undefined>((resolve) => canvas.toBlob((b) => resolve(b ?? undefined), 'image/jpeg', 0.92));
  } finally {
    for (const track of stream.getTracks()) track.stop();
    dialog.close();
    dialog.remove();
  }
}
