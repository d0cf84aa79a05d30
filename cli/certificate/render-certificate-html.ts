/**
 * CertificateModel -> one self-contained HTML document: one certificate per exhibit, each
 * starting on a new page, readable on its own. Every value goes through the escaping `html`
 * template (./html.ts); the only unescaped markup is the stylesheet and the QR SVGs, both
 * generated here. Pure but for the QR encoder's promise: no files, no network.
 */
import type { BundleCheck } from '../../core/bundle';
import type { CertificateModel, Exhibit } from './certificate-model';
import { certificateCss, type Paper } from './certificate-style';
import { html, trustedHtml, type HtmlValue, type SafeHtml } from './html';
import { recordHashQrSvg } from './record-qr';

/** What each check establishes, in words for a reader who is not an engineer. */
const CHECK_DESCRIPTIONS: Record<BundleCheck['check'], string> = {
  'bundle.schema': 'The bundle is a well-formed evidence bundle (format v1)',
  checkpoint: 'The checkpoint is signed by both trusted parties for the trusted log',
  'items.order': 'The records are in strictly increasing sequence order',
  'record.hash': 'The record hash recomputes from the record’s content',
  'record.facts': 'The deposit id and the link to the previous record recompute',
  'record.signatures': 'Both parties’ signatures verify with their trusted keys',
  'record.inclusion': 'The inclusion proof leads to the checkpoint’s root hash',
  timestamp: 'The RFC 3161 timestamp covers this checkpoint, from a trusted authority',
  'evidence.digest': 'The evidence file presented is byte for byte the deposited object',
};

const FORMAT_DOC = 'docs/FORMAT.md';

/** Text chosen by an uploader, isolated so right-to-left marks cannot reorder the line. */
const untrusted = (text: string) => html`<bdi>${text}</bdi>`;
const hash = (hex: string) => html`<span class="hash">${hex}</span>`;
const row = (label: string, value: HtmlValue) =>
  html`<tr>
    <th scope="row">${label}</th>
    <td>${value}</td>
  </tr>`;

function evidenceSection(model: CertificateModel, exhibit: Exhibit): SafeHtml {
  const { deposit } = exhibit;
  const metadata = Object.entries(deposit.caseMetadata).map(([key, value]) =>
    row(`Case metadata “${key}”`, untrusted(value)),
  );
  const file = model.evidenceFile;
  const presented =
    file && exhibit.evidenceFileMatched
      ? html`The file <bdi>${file.name}</bdi> (${file.size} bytes) was hashed during certification
          and is byte for byte this deposit.`
      : html`Not presented for this exhibit: this certificate attests the ledger record of the
        object, not a particular copy of it.`;
  return html`<h2>1. The evidence</h2>
    <table class="facts">
      ${metadata} ${row('Bucket', untrusted(deposit.bucket))}
      ${row('Object key', untrusted(deposit.key))}
      ${row('Object version', untrusted(deposit.versionId))} ${row('Size', `${deposit.size} bytes`)}
      ${row('SHA-256', hash(deposit.sha256))} ${row('Deposit id', hash(deposit.depositId))}
      ${row('Evidence file', presented)}
    </table>`;
}

function depositSection(exhibit: Exhibit): SafeHtml {
  const { uploader, uploadedAt } = exhibit.deposit;
  return html`<h2>2. Deposit</h2>
    <table class="facts">
      ${row('Deposited by', untrusted(uploader.principalId ?? 'not reported by S3'))}
      ${row('From address', untrusted(uploader.sourceIp ?? 'not reported by S3'))}
      ${row('Deposited at (S3)', untrusted(uploadedAt))}
      ${row('Recorded at (ledger)', untrusted(exhibit.sequencedAt))}
      ${row('Ledger sequence number', exhibit.seq)} ${row('Record hash', hash(exhibit.recordHash))}
      ${row('Previous record hash', hash(exhibit.prevHash))}
    </table>`;
}

function approvalsSection(exhibit: Exhibit): SafeHtml {
  const rows = exhibit.approvals.map(
    (a) =>
      html`<tr>
        <td>${a.role}</td>
        <td>${hash(a.keyId)}</td>
        <td>${a.algorithm}</td>
        <td>${hash(a.publicKeySha256)}</td>
      </tr>`,
  );
  return html`<h2>3. Approvals</h2>
    <p>Each party signed a statement of exactly these deposit facts with its own key.</p>
    <table>
      <thead>
        <tr>
          <th>Party</th>
          <th>Key identifier</th>
          <th>Algorithm</th>
          <th>SHA-256 of the trusted public key</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>`;
}

function anchorSection(model: CertificateModel, exhibit: Exhibit): SafeHtml {
  const { checkpoint, timestamp } = model;
  const stamped = timestamp
    ? html`${timestamp.genTime}, by the pinned authority “<bdi>${timestamp.tsa}</bdi>”`
    : 'none: the bundle carries no RFC 3161 timestamp token';
  return html`<h2>4. Checkpoint and trusted timestamp</h2>
    <table class="facts">
      ${row('Log (origin)', untrusted(checkpoint.origin))}
      ${row('Tree size', `${checkpoint.treeSize} records`)}
      ${row('Root hash', hash(checkpoint.rootHash))}
      ${row(
        'Co-signed by',
        model.trustedParties.map(
          (p) => html`<div>${p.role}: <bdi>${p.noteKeyName}</bdi> (key ${p.noteKeyId})</div>`,
        ),
      )}
      ${row('Trusted timestamp (RFC 3161)', stamped)}
    </table>
    <h2>5. Inclusion proof</h2>
    <table class="facts">
      ${row('Leaf index', exhibit.inclusion.leafIndex)}
      ${row('Tree size', exhibit.inclusion.treeSize)}
      ${row('Proof hashes', exhibit.inclusion.proofHashes)}
      ${row('Leads to root', hash(checkpoint.rootHash))}
    </table>`;
}

function checkRow(check: BundleCheck): SafeHtml {
  const item = check.seq === undefined ? 'bundle' : `seq ${check.seq}`;
  return html`<tr>
    <td>${CHECK_DESCRIPTIONS[check.check]}<br /><code>${check.check}</code></td>
    <td>${item}</td>
    <td class="result-ok">${check.ok ? 'PASSED' : 'FAILED'}</td>
    <td>${untrusted(check.message)}</td>
  </tr>`;
}

function checksSection(exhibit: Exhibit): SafeHtml {
  return html`<h2>6. Verification checks</h2>
    <table class="checks">
      <colgroup>
        <col class="what" />
        <col class="where" />
        <col class="result" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th>Check</th>
          <th>Concerns</th>
          <th>Result</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        ${exhibit.checks.map(checkRow)}
      </tbody>
    </table>`;
}

function recheckSection(model: CertificateModel): SafeHtml {
  const parties = model.trustedParties.map(
    (p) =>
      html`<tr>
        <td>${p.role}</td>
        <td>${hash(p.keyId)}</td>
        <td>${hash(p.publicKeySha256)}</td>
      </tr>`,
  );
  const tsa = model.trustedTsa.map(
    (t) =>
      html`<tr>
        <td>TSA <bdi>${t.name}</bdi></td>
        <td>certificate</td>
        <td>${hash(t.certificateSha256)}</td>
      </tr>`,
  );
  return html`<section class="recheck">
    <h2>7. How to check this independently</h2>
    <p>
      Anyone holding the bundle file <bdi>${model.bundleFile.name}</bdi> (SHA-256
      ${hash(model.bundleFile.sha256)}, ${model.bundleFile.size} bytes) and a trusted-keys file
      obtained from the parties themselves can repeat every check offline, without this certificate
      and without access to the ledger:
    </p>
    <pre>${model.recheckCommand}</pre>
    <p>
      Every format and every check is specified in <code>${FORMAT_DOC}</code> of the evidence-ledger
      project, with a worked example; an independent implementation can be written from it. The
      trusted keys used here (from <bdi>${model.trustedKeysFile}</bdi>) have these fingerprints
      (SHA-256 of the DER public key or certificate):
    </p>
    <table>
      <thead>
        <tr>
          <th>Party</th>
          <th>Key identifier</th>
          <th>SHA-256 fingerprint</th>
        </tr>
      </thead>
      <tbody>
        ${parties}${tsa}
      </tbody>
    </table>
  </section>`;
}

async function exhibitCertificate(
  model: CertificateModel,
  exhibit: Exhibit,
  count: number,
): Promise<SafeHtml> {
  const qr = await recordHashQrSvg(exhibit.recordHash);
  return html`<section class="exhibit" aria-labelledby="exhibit-${exhibit.itemIndex}">
    <header>
      <div>
        <h1 id="exhibit-${exhibit.itemIndex}">Evidence integrity certificate</h1>
        <p class="subtitle">
          Exhibit ${exhibit.itemIndex + 1} of ${count} · ledger record ${exhibit.seq} ·
          <bdi>${model.checkpoint.origin}</bdi>
        </p>
      </div>
      <div class="verdict" role="status">${model.verdict}</div>
    </header>
    <div class="summary">
      <p class="statement">
        All ${model.checkCount} verification checks of the bundle passed. The object described below
        was deposited, approved by both parties, recorded in the ledger and anchored in the
        checkpoint shown; none of these facts has changed since.
      </p>
      <figure class="qr" role="img" aria-label="QR code of the record hash">
        ${qr}
        <figcaption>Record hash</figcaption>
      </figure>
    </div>
    ${evidenceSection(model, exhibit)} ${depositSection(exhibit)} ${approvalsSection(exhibit)}
    ${anchorSection(model, exhibit)} ${checksSection(exhibit)} ${recheckSection(model)}
    <footer>
      Certified ${model.generatedAt} by <code>evidence certificate</code> from the bundle file named
      above. Verdict: ${model.verdict}.
    </footer>
  </section>`;
}

/** The whole document, for `paper` (@page size). */
export async function renderCertificateHtml(
  model: CertificateModel,
  paper: Paper,
): Promise<string> {
  const count = model.exhibits.length;
  const sections = await Promise.all(
    model.exhibits.map((exhibit) => exhibitCertificate(model, exhibit, count)),
  );
  const document = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta
          http-equiv="Content-Security-Policy"
          content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        />
        <title>
          Evidence integrity certificate: ${count} exhibit(s), ${model.checkpoint.origin}
        </title>
        <style>
          ${trustedHtml(certificateCss(paper))}
        </style>
      </head>
      <body>
        ${sections}
      </body>
    </html> `;
  return document.markup;
}
