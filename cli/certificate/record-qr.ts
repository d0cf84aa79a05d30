/**
 * The QR code of an exhibit: the record hash (64 hex digits, schema-checked) as an inline
 * SVG from the `qrcode` package, so a reader can scan it and compare it with what
 * `evidence verify-bundle --json` or the ledger shows. Generated locally: no network.
 */
import { LedgerError } from '../../core/errors';
import QRCode from 'qrcode';
import { trustedHtml, type SafeHtml } from './html';

export async function recordHashQrSvg(recordHash: string): Promise<SafeHtml> {
  if (!/^[0-9a-f]{64}$/.test(recordHash))
    throw new LedgerError('INVALID_INPUT', 'record hash must be 64 hex digits', { recordHash });
  const svg = await QRCode.toString(recordHash, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
    color: { dark: '#000000', light: '#ffffff' },
  });
  return trustedHtml(svg);
}
