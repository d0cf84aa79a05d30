/**
 * A tagged template that escapes every interpolated value, so that no string from a bundle
 * (case metadata, object keys, uploader ids: chosen by whoever uploaded) can become markup.
 * Only values already wrapped as SafeHtml (the output of `html` itself, or `trustedHtml`
 * for markup the program generated) pass through unescaped.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export type HtmlValue = SafeHtml | string | number | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, text, i) => out + render(values[i - 1] ?? '') + text));
}

/** Markup this program generated (never text from a bundle or a user). */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
