/**
 * HTML -> PDF with a real layout engine: headless Chromium (cli/chromium.ts) prints the
 * certificate page. JavaScript is off and every request is refused, so the page can neither
 * run nor fetch anything even if some markup escaped the renderer.
 */
import { launchChromium } from '../chromium';
import { PAPER_FORMAT, type Paper } from './certificate-style';

export async function printPdf(documentHtml: string, paper: Paper): Promise<Uint8Array> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(documentHtml, { waitUntil: 'load' });
    const pdf = await page.pdf({
      format: PAPER_FORMAT[paper].pdf,
      printBackground: true,
      preferCSSPageSize: false,
    });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}
