import { describe, expect, it } from 'vitest';
import {
  CONCURRENCY_ERROR_CODES,
  CONFIG_ERROR_CODES,
  DEPENDENCY_ERROR_CODES,
  errorLayer,
  INPUT_ERROR_CODES,
  STORAGE_ERROR_CODES,
  VERIFICATION_ERROR_CODES,
} from '../../../core/errors';

const LAYERS = {
  input: INPUT_ERROR_CODES,
  storage: STORAGE_ERROR_CODES,
  configuration: CONFIG_ERROR_CODES,
  verification: VERIFICATION_ERROR_CODES,
  dependency: DEPENDENCY_ERROR_CODES,
  concurrency: CONCURRENCY_ERROR_CODES,
} as const;

describe('error codes per layer', () => {
  it('puts every code in exactly one layer', () => {
    const all = Object.values(LAYERS).flat();
    expect(new Set(all).size).toBe(all.length);
  });

  it.each(Object.entries(LAYERS))('reports the %s layer for each of its codes', (layer, codes) => {
    for (const code of codes) expect(errorLayer(code)).toBe(layer);
  });
});
