#!/usr/bin/env node
// Builds herald.js, the script Herald serves at /embed/v1/herald.js: the shared React components
// rendered by Preact (react -> preact/compat), with Tailwind's CSS for exactly the files bundled,
// all in one ES module (no CDN, no fonts). `node sdk/element/build.mjs [--if-stale]`.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
export const ELEMENT_OUT = path.join(HERE, "dist", "herald.js");
const SOURCES = ["components/notifications", "components/ui", "sdk/client/src", "sdk/element/src", "lib", "package-lock.json"];

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((e) => newestMtime(path.join(p, e))));
}

export const elementIsStale = () =>
  !existsSync(ELEMENT_OUT) || statSync(ELEMENT_OUT).mtimeMs < Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))), newestMtime(path.join(HERE, "build.mjs")));

/**
 * Tailwind gives its variables (--tw-shadow…) their defaults with @property, which a shadow root
 * cannot register, and otherwise only inside an @supports for old browsers: that block is unwrapped
 * so the defaults always apply.
 */
function shadowSafe(css) {
  const at = css.indexOf("@supports", css.indexOf("@layer properties"));
  if (at === -1) return css.replace(/@property[^{]*\{[^}]*\}/g, "");
  const open = css.indexOf("{", at);
  let depth = 0;
  let close = open;
  for (; close < css.length; close++) {
    if (css[close] === "{") depth++;
    else if (css[close] === "}" && --depth === 0) break;
  }
  return (css.slice(0, at) + css.slice(open + 1, close) + css.slice(close + 1)).replace(/@property[^{]*\{[^}]*\}/g, "");
}

/** Tailwind for the classes of the files in the bundle, and nothing else. */
export async function compileCss(files) {
  const { default: postcss } = await import("postcss");
  const { default: tailwind } = await import("@tailwindcss/postcss");
  const from = path.join(HERE, "src", "element.css");
  const sources = files.map((f) => `@source ${JSON.stringify(path.resolve(ROOT, f))};`).join("\n");
  const result = await postcss([tailwind({ optimize: { minify: true } })]).process(`${readFileSync(from, "utf8")}\n${sources}`, { from });
  return shadowSafe(result.css);
}

function options(css, outfile = ELEMENT_OUT) {
  const shims = path.join(HERE, "src", "shims");
  return {
    entryPoints: [path.join(HERE, "src", "index.tsx")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    jsx: "automatic",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    define: { "process.env.NODE_ENV": '"production"' },
    alias: {
      react: "preact/compat",
      "react-dom": "preact/compat",
      "react/jsx-runtime": "preact/jsx-runtime",
      "next/navigation": path.join(shims, "next-navigation.ts"),
      "next/link": path.join(shims, "next-link.tsx"),
      sonner: path.join(shims, "sonner.tsx"),
    },
    logLevel: "error",
    plugins: [
      {
        name: "herald-element",
        setup(b) {
          b.onResolve({ filter: /^herald:element-css$/ }, () => ({ path: "element-css", namespace: "herald" }));
          b.onLoad({ filter: /.*/, namespace: "herald" }, () => ({ contents: `export const ELEMENT_CSS = ${JSON.stringify(css)};`, loader: "js" }));
        },
      },
    ],
  };
}

/** Builds the script into `outfile` (the served one by default); returns its size, plain and gzipped. */
export async function buildElement(outfile = ELEMENT_OUT) {
  const { build } = await import("esbuild");
  // First pass: which of the app's files the element bundles, so that Tailwind scans those only.
  const { metafile } = await build({ ...options(""), write: false, metafile: true });
  const files = Object.keys(metafile.inputs).filter((f) => !f.includes("node_modules") && /\.tsx?$/.test(f));
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build(options(await compileCss(files), outfile));
  const bytes = readFileSync(outfile);
  return { bytes: bytes.length, gzipped: gzipSync(bytes).length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--if-stale") && !elementIsStale()) process.exit(0);
  const { bytes, gzipped } = await buildElement();
  console.log(`[herald] built ${path.relative(ROOT, ELEMENT_OUT)}: ${(bytes / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
}
