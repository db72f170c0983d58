import { build } from 'esbuild';

/**
 * Bundles one of the browser apps under web/ (the staff console, the public site) with esbuild,
 * in memory: `main.tsx` with Preact's JSX and one stylesheet, minified, as ES modules. Nothing is
 * written to disk; the server serves the two strings itself (no inline script or style, so the
 * CSP `default-src 'self'` holds for every page).
 */
export interface WebBundleOptions {
  /** The app's folder (absolute, with a trailing slash). */
  readonly dir: string;
  /** The stylesheet's file name in `dir`. */
  readonly stylesheet: string;
  /** Browsers to compile for. */
  readonly target: readonly string[];
  /** Build-time constants (esbuild `define`: identifier → JSON text). */
  readonly define?: Readonly<Record<string, string>>;
  /** Names the app in an error. */
  readonly label: string;
}

export interface WebBundle {
  readonly js: string;
  readonly css: string;
}

export async function bundleWebApp(o: WebBundleOptions): Promise<WebBundle> {
  const result = await build({
    entryPoints: { app: `${o.dir}main.tsx`, style: `${o.dir}${o.stylesheet}` },
    bundle: true,
    write: false,
    outdir: '/bundle',
    format: 'esm',
    platform: 'browser',
    target: [...o.target],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    ...(o.define ? { define: { ...o.define } } : {}),
  });
  const out = (name: string) => {
    const file = result.outputFiles.find((f) => f.path.endsWith(name));
    if (!file) throw new Error(`${o.label} bundle: ${name} missing`);
    return file.text;
  };
  return { js: out('/app.js'), css: out('/style.css') };
}

/**
 * Memoizes an asynchronous build per key for the life of the process; a build that fails is
 * forgotten, so the next request tries again.
 */
export function memoizeBuild<T>(build: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let p = cache.get(key);
    if (!p) {
      p = build(key).catch((err: unknown) => {
        cache.delete(key);
        throw err;
      });
      cache.set(key, p);
    }
    return p;
  };
}
