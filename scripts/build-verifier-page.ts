/**
 * Builds the verifier page (web/verifier/) into ONE self-contained HTML file: the page's
 * TypeScript bundled by esbuild for the browser platform (so no Node built-in can be
 * reached: esbuild refuses to resolve one) and inlined with the CSS into index.html. The page
 * loads nothing else and its CSP allows only its own inline script and style, by hash, so it
 * can neither load nor send anything: it works from file:// or any static host.
 *
 *   npx tsx scripts/build-verifier-page.ts              writes dist/verifier/index.html
 *   npx tsx scripts/build-verifier-page.ts --out DIR    writes DIR/index.html (or --out FILE.html)
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, transform } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = resolve(ROOT, 'web/verifier');
export const DEFAULT_VERIFIER_PAGE = resolve(ROOT, 'dist/verifier/index.html');

const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The page's CSP: nothing may load or connect; only this script and this style may run. */
function contentSecurityPolicy(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src ${cspHash(script)}`,
    `style-src ${cspHash(style)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

async function bundleScript(): Promise<string> {
  const result = await build({
    entryPoints: [resolve(SOURCE, 'verifier-page.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  // `</script` anywhere in the code would end the inline element; `<\/script` means the same in JS.
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

async function minifiedStyle(): Promise<string> {
  const css = await readFile(resolve(SOURCE, 'styles.css'), 'utf8');
  const { code } = await transform(css, { loader: 'css', minify: true });
  if (/<\/style/i.test(code)) throw new Error('styles.css must not contain "</style"');
  return code.trim();
}

/** The page as one HTML string. */
export async function verifierPageHtml(): Promise<string> {
  const [template, script, style] = await Promise.all([
    readFile(resolve(SOURCE, 'index.html'), 'utf8'),
    bundleScript(),
    minifiedStyle(),
  ]);
  const parts: Record<string, string> = {
    CSP: contentSecurityPolicy(script, style),
    STYLE: style,
    SCRIPT: script,
  };
  // One pass with a function replacer: the bundled code may itself contain `{{…}}` or `$&`.
  // Placeholders in <style> and <script> are comments (so Prettier leaves them alone); they go
  // with the whitespace around them, because a CSP hash covers the element's exact text.
  return template.replace(
    /\s*(?:\/\* )?\{\{(CSP|STYLE|SCRIPT)\}\}(?: \*\/)?\s*/g,
    (_, name: string) => parts[name] ?? '',
  );
}

/** Builds the page into `outFile` (created with its folders); returns the file's path. */
export async function buildVerifierPage(outFile = DEFAULT_VERIFIER_PAGE): Promise<string> {
  const html = await verifierPageHtml();
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, html);
  return outFile;
}

async function main(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { out: { type: 'string' } } });
  const out = values.out === undefined ? DEFAULT_VERIFIER_PAGE : resolve(values.out);
  const file = await buildVerifierPage(out.endsWith('.html') ? out : resolve(out, 'index.html'));
  process.stdout.write(`verifier page written to ${file}\nopen ${pathToFileURL(file).href}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  await main(process.argv.slice(2));
