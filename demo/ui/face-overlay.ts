/**
 * Draws a photo with its faces: a numbered box per face (roi = [x, y, width, height]) and the five
 * landmarks (eyes, nose, mouth corners), scaled to the space available.
 */
export interface FaceMark {
  roi: number[];
  landmarks?: number[][];
  label?: string;
  /** Box colour; default sky blue. */
  color?: string;
}

export async function drawFaces(canvas: HTMLCanvasElement, imageUrl: string, faces: FaceMark[], maxWidth = 720): Promise<void> {
  const bitmap = await loadImage(imageUrl);
  const scale = Math.min(1, maxWidth / bitmap.naturalWidth);
  canvas.width = Math.round(bitmap.naturalWidth * scale);
  canvas.height = Math.round(bitmap.naturalHeight * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const line = Math.max(2, Math.round(canvas.width / 300));
  for (const [i, face] of faces.entries()) {
    const [x = 0, y = 0, w = 0, hgt = 0] = face.roi.map((v) => v * scale);
    const color = face.color ?? '#38bdf8';
    ctx.lineWidth = line;
    ctx.strokeStyle = '#0f172a';
    ctx.strokeRect(x, y, w, hgt);
    ctx.lineWidth = line / 2 + 1;
    ctx.strokeStyle = color;
    ctx.strokeRect(x, y, w, hgt);
    for (const [px = 0, py = 0] of face.landmarks ?? []) {
      ctx.beginPath();
      ctx.arc(px * scale, py * scale, line + 1, 0, Math.PI * 2);
      ctx.fillStyle = '#facc15';
      ctx.fill();
      ctx.strokeStyle = '#0f172a';
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    const text = face.label ?? String(i + 1);
    ctx.font = `bold ${Math.max(12, Math.round(canvas.width / 40))}px system-ui, sans-serif`;
    const tw = ctx.measureText(text).width + 8;
    const th = Math.max(16, Math.round(canvas.width / 32));
    const ty = Math.max(0, y - th);
    ctx.fillStyle = color;
    ctx.fillRect(x, ty, tw, th);
    ctx.fillStyle = '#0f172a';
    ctx.fillText(text, x + 4, ty + th - 4);
  }
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', faces.length === 1 ? 'The photo with 1 face marked' : `The photo with ${faces.length} faces marked`);
  canvas.dataset.faces = String(faces.length);
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the image could not be displayed'));
    img.src = url;
  });
}
