/**
 * The verifier page's DOM glue: reads the chosen (or dropped) files, runs verifyFiles and
 * shows its outcome. Everything shown that comes from a file is set as text, never as HTML:
 * a bundle is attacker-controlled. No network API is used, and the page's CSP forbids any.
 */
import './zod-jitless';
import type { BundleCheck, EvidenceDigest } from '../../core/bundle';
import { CHECK_TITLES } from './check-titles';
import type { ExhibitFacts, Fact } from './exhibit-facts';
import { explainFailure } from './failure-explanations';
import { verifyFiles, type RefusedInput, type Verification } from './verify-files';

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`verifier page: #${id} is missing`);
  return element;
}

const form = byId('verifier-form', HTMLFormElement);
const inputs = {
  bundle: byId('bundle-file', HTMLInputElement),
  trustedKeys: byId('trusted-keys-file', HTMLInputElement),
  evidence: byId('evidence-file', HTMLInputElement),
};
const button = byId('verify-button', HTMLButtonElement);
const hashing = byId('hashing', HTMLDivElement);
const progress = byId('hash-progress', HTMLProgressElement);
const progressText = byId('hash-progress-text', HTMLParagraphElement);
const verdict = byId('verdict', HTMLDivElement);
const reportSection = byId('report', HTMLDivElement);
const checksBody = byId('checks', HTMLTableSectionElement);
const facts = byId('facts', HTMLDivElement);

/** A new element with text content (never HTML) and optional classes. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', ...classes: string[]) {
  const element = document.createElement(tag);
  element.textContent = text;
  element.classList.add(...classes);
  return element;
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Progress of the evidence hash, redrawn at most ten times a second. */
function progressReporter() {
  let last = 0;
  return (hashed: number, size: number) => {
    const now = performance.now();
    if (hashed < size && now - last < 100) return;
    last = now;
    progress.value = size === 0 ? 1 : hashed / size;
    const percent = size === 0 ? 100 : Math.floor((hashed / size) * 100);
    progressText.textContent = `${formatBytes(hashed)} of ${formatBytes(size)} (${percent}%)`;
  };
}

function showVerdict(ok: boolean, headline: string, ...details: string[]) {
  verdict.replaceChildren(el('strong', ok ? 'PASS' : 'FAIL'), ` — ${headline}`);
  for (const detail of details) verdict.append(el('p', detail));
  verdict.className = `verdict ${ok ? 'pass' : 'fail'}`;
}

function checkRow(check: BundleCheck): HTMLTableRowElement {
  const row = el('tr');
  const badge = el('span', check.ok ? 'PASS' : 'FAIL', 'badge', check.ok ? 'pass' : 'fail');
  const title = el('td', CHECK_TITLES[check.check]);
  title.append(el('br'), el('code', check.check));
  const item =
    check.itemIndex === undefined ? 'whole bundle' : `item ${check.itemIndex}, seq ${check.seq}`;
  const details = el('td');
  if (!check.ok) {
    const explanation = el('p', '', 'explanation');
    explanation.append(el('strong', check.code ?? 'UNKNOWN'), `: ${explainFailure(check.code)}`);
    details.append(explanation);
  }
  details.append(el('p', check.message, 'detail'));
  const result = el('td');
  result.append(badge);
  row.append(result, title, el('td', item), details);
  return row;
}

function factList(rows: readonly Fact[]): HTMLDListElement {
  const list = el('dl');
  for (const { label, value } of rows) list.append(el('dt', label), el('dd', value, 'mono'));
  return list;
}

function showFacts(result: Verification) {
  const notice = result.report.ok
    ? 'These facts are verified: the bundle passed every check.'
    : 'These facts are as the bundle states them. They are NOT verified: a check failed.';
  facts.replaceChildren();
  if (result.evidence) showEvidence(result.evidence);
  if (result.checkpoint) facts.append(el('h3', 'Checkpoint'), factList(result.checkpoint));
  for (const exhibit of result.exhibits ?? []) showExhibit(exhibit, notice);
}

function showEvidence(evidence: EvidenceDigest) {
  const name = inputs.evidence.files?.[0]?.name ?? '';
  facts.append(
    el('h3', 'Evidence file (hashed in this page)'),
    factList([
      { label: 'File name', value: name },
      { label: 'Size', value: `${evidence.size.toLocaleString('en')} bytes` },
      { label: 'SHA-256', value: evidence.sha256 },
    ]),
  );
}

function showExhibit(exhibit: ExhibitFacts, notice: string) {
  const heading = `Exhibit ${exhibit.title} (item ${exhibit.itemIndex}, seq ${exhibit.seq})`;
  facts.append(el('h3', heading), el('p', notice, 'notice'), factList(exhibit.facts));
}

function showVerification(result: Verification) {
  const { report } = result;
  const failure = report.firstFailure;
  if (failure) {
    const where =
      failure.itemIndex === undefined ? '' : ` (item ${failure.itemIndex}, seq ${failure.seq})`;
    const failures = report.checks.filter((c) => !c.ok).length;
    showVerdict(
      false,
      `the bundle did not verify: ${failure.code ?? 'UNKNOWN'}${where}.`,
      explainFailure(failure.code),
      `${failures} of ${report.checks.length} checks failed; each is listed below.`,
    );
  } else {
    const evidence = result.evidence ? ' The evidence file is the one recorded.' : '';
    showVerdict(true, `the bundle verified: all ${report.checks.length} checks passed.${evidence}`);
  }
  checksBody.replaceChildren(...report.checks.map(checkRow));
  showFacts(result);
  reportSection.hidden = false;
}

function showRefused(refused: RefusedInput) {
  const why = refused.code ? [explainFailure(refused.code)] : [];
  showVerdict(
    false,
    `nothing was verified: the ${refused.what} cannot be used.`,
    ...why,
    refused.message,
  );
}

async function verify() {
  const bundle = inputs.bundle.files?.[0];
  const trustedKeys = inputs.trustedKeys.files?.[0];
  const evidence = inputs.evidence.files?.[0];
  reportSection.hidden = true;
  if (!bundle || !trustedKeys) {
    verdict.className = 'verdict';
    verdict.textContent = 'Choose an evidence bundle and a trusted-keys file first.';
    (bundle ? inputs.trustedKeys : inputs.bundle).focus();
    return;
  }
  button.disabled = true;
  hashing.hidden = !evidence;
  verdict.className = 'verdict';
  verdict.textContent = evidence ? 'Hashing the evidence file, then verifying…' : 'Verifying…';
  try {
    const result = await verifyFiles(
      { bundle, trustedKeys, ...(evidence ? { evidence } : {}) },
      progressReporter(),
    );
    if (result.kind === 'refused') showRefused(result);
    else showVerification(result);
  } catch (error) {
    showVerdict(
      false,
      'the verifier stopped unexpectedly.',
      error instanceof Error ? error.message : String(error),
    );
  } finally {
    button.disabled = false;
  }
}

/** Drop on a field's box sets that field's file; the native input stays the keyboard path. */
function enableDrop(field: HTMLElement) {
  const input = field.querySelector('input[type="file"]');
  if (!(input instanceof HTMLInputElement)) return;
  field.addEventListener('dragover', (event) => {
    event.preventDefault();
    field.classList.add('dragging');
  });
  field.addEventListener('dragleave', () => field.classList.remove('dragging'));
  field.addEventListener('drop', (event) => {
    event.preventDefault();
    field.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    const one = new DataTransfer();
    one.items.add(file);
    input.files = one.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

// A file dropped outside the boxes would otherwise make the browser open it in place of the page.
for (const type of ['dragover', 'drop'] as const)
  window.addEventListener(type, (e) => e.preventDefault());
// (forEach: the project's TS lib has DOM but not DOM.Iterable.)
document.querySelectorAll<HTMLElement>('[data-drop]').forEach(enableDrop);
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void verify();
});
