/**
 * The screen watermark: the viewer's username and the current time, tiled over the whole page on
 * a fixed canvas that lets clicks through (CSS `.ev-watermark`, pointer-events: none). A
 * screenshot or photo of the screen therefore says who looked and when. The time is redrawn every
 * minute; if the canvas is removed or its attributes are changed (developer tools, an extension),
 * it is put back at once. A determined user can still defeat it: it deters and traces, it does
 * not prevent.
 */

const ID = 'ev-watermark';
const TILE_W = 340;
const TILE_H = 190;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-12-02 14:05` in the viewer's local time. */
export function watermarkTime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function drawTile(lines: string[], ratio: number): HTMLCanvasElement {
  const tile = document.createElement('canvas');
  tile.width = TILE_W * ratio;
  tile.height = TILE_H * ratio;
  const g = tile.getContext('2d');
  if (!g) return tile;
  g.scale(ratio, ratio);
  g.translate(TILE_W / 2, TILE_H / 2);
  g.rotate(-Math.PI / 9);
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.font = '15px "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';
  // Dark text with a light halo, so that it shows on light and dark parts of the page alike.
  lines.forEach((line, i) => {
    const y = (i - (lines.length - 1) / 2) * 20;
    g.fillStyle = 'rgba(255, 255, 255, 0.16)';
    g.fillText(line, 1, y + 1);
    g.fillStyle = 'rgba(60, 60, 70, 0.15)';
    g.fillText(line, 0, y);
  });
  return tile;
}

/** Shows the watermark for `username` until the returned function is called. */
export function mountWatermark(username: string): () => void {
  let canvas = document.createElement('canvas');
  let stopped = false;

  const text = () => [username, watermarkTime(new Date())];

  const setUp = (c: HTMLCanvasElement) => {
    c.id = ID;
    c.className = 'ev-watermark';
    c.setAttribute('aria-hidden', 'true');
    c.setAttribute('data-testid', 'watermark');
  };

  const draw = () => {
    const lines = text();
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(1, window.innerWidth);
    const h = Math.max(1, window.innerHeight);
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    canvas.setAttribute('data-watermark', lines.join(' · '));
    const g = canvas.getContext('2d');
    if (!g) return;
    g.clearRect(0, 0, canvas.width, canvas.height);
    const pattern = g.createPattern(drawTile(lines, ratio), 'repeat');
    if (!pattern) return;
    g.fillStyle = pattern;
    g.fillRect(0, 0, canvas.width, canvas.height);
  };

  const attach = () => {
    setUp(canvas);
    draw();
    document.body.appendChild(canvas);
  };

  // Put the canvas back if it is removed, hidden or restyled.
  const observer = new MutationObserver(() => {
    if (stopped) return;
    const tampered = !canvas.isConnected || canvas.id !== ID || canvas.className !== 'ev-watermark'
      || canvas.hasAttribute('style') || canvas.hasAttribute('hidden');
    if (!tampered) return;
    observer.disconnect();
    canvas.remove();
    canvas = document.createElement('canvas');
    attach();
    observe();
  });
  const observe = () => {
    observer.observe(document.body, { childList: true });
    observer.observe(canvas, { attributes: true });
  };

  attach();
  observe();

  let interval: ReturnType<typeof setInterval> | undefined;
  const now = new Date();
  const toNextMinute = (60 - now.getSeconds()) * 1000 - now.getMilliseconds();
  const timeout = setTimeout(() => {
    draw();
    interval = setInterval(draw, 60_000);
  }, toNextMinute);
  let resizeFrame = 0;
  const onResize = () => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(draw);
  };
  window.addEventListener('resize', onResize);

  return () => {
    stopped = true;
    observer.disconnect();
    clearTimeout(timeout);
    if (interval) clearInterval(interval);
    window.removeEventListener('resize', onResize);
    canvas.remove();
  };
}
