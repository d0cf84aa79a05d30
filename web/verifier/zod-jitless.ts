/**
 * Imported first by the page, before any schema is built: zod compiles object parsers with
 * `new Function` unless told not to, and the page's CSP (no 'unsafe-eval') refuses that —
 * zod would fall back, but only after the browser logged a CSP violation. Schemas read the
 * setting when they are constructed, hence a module of its own.
 */
import { config } from 'zod';

config({ jitless: true });
