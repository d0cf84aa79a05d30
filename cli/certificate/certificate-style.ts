/**
 * The certificate's print stylesheet: black on white (no meaning carried by colour alone),
 * serif body for reading, monospace for hashes that wrap anywhere, one exhibit per page
 * run, rows that never split across pages. Everything inline: the page loads nothing.
 */
export type Paper = 'a4' | 'letter';

export const PAPERS: readonly Paper[] = ['a4', 'letter'];

/** The CSS @page size keyword and the Chromium page.pdf format of each paper. */
export const PAPER_FORMAT: Record<Paper, { css: string; pdf: 'A4' | 'Letter' }> = {
  a4: { css: 'A4', pdf: 'A4' },
  letter: { css: 'letter', pdf: 'Letter' },
};

export function certificateCss(paper: Paper): string {
  return `
@page { size: ${PAPER_FORMAT[paper].css}; margin: 16mm 15mm 18mm 15mm; }
:root { color: #000; background: #fff; }
body { font: 10.5pt/1.4 "DejaVu Serif", Georgia, "Times New Roman", serif; margin: 0; }
@media screen { body { max-width: 190mm; margin: 2em auto; padding: 0 1em; } }
.exhibit + .exhibit { break-before: page; }
@media screen { .exhibit + .exhibit { border-top: 3px double #000; margin-top: 3em; padding-top: 2em; } }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 1em;
  border-bottom: 2px solid #000; padding-bottom: 0.5em; margin-bottom: 0.8em; }
h1 { font-size: 17pt; margin: 0 0 0.2em; }
h2 { font-size: 12pt; margin: 1.1em 0 0.35em; border-bottom: 1px solid #555; break-after: avoid; }
.subtitle { margin: 0; color: #222; }
.verdict { border: 3px solid #000; padding: 0.25em 0.7em; font: bold 15pt/1.2 "DejaVu Sans", Arial, sans-serif;
  letter-spacing: 0.08em; white-space: nowrap; }
.statement { border-left: 4px solid #000; padding: 0.3em 0.8em; margin: 0.6em 0; background: #f2f2f2; }
table { border-collapse: collapse; width: 100%; margin: 0.2em 0 0.4em; }
th, td { overflow-wrap: break-word; border: 1px solid #666; padding: 0.22em 0.45em; text-align: left; vertical-align: top; }
th { background: #e8e8e8; font-weight: bold; }
table.facts th { width: 28%; }
tr { break-inside: avoid; }
.hash, code, pre { font: 9pt/1.35 "DejaVu Sans Mono", "Courier New", monospace; }
.hash { word-break: break-all; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; word-break: break-all; border: 1px solid #666; padding: 0.4em 0.6em; margin: 0.3em 0; }
.result-ok { font-weight: bold; }
.summary { display: flex; gap: 1em; align-items: center; break-inside: avoid; }
.summary .statement { flex: 1; }
.qr { margin: 0; width: 30mm; text-align: center; font-size: 8pt; }
.qr svg { width: 30mm; height: 30mm; display: block; }
table.checks { table-layout: fixed; }
table.checks col.what { width: 34%; }
table.checks col.where { width: 13%; }
table.checks col.result { width: 12%; }
.recheck { break-inside: avoid; }
footer { margin-top: 1em; font-size: 8.5pt; color: #222; border-top: 1px solid #555; padding-top: 0.3em; }
`;
}
