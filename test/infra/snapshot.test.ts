/**
 * The whole synthesized template, with esbuild bundling on, as a reviewed snapshot: any
 * change to the production stack shows up in the diff of __snapshots__/. Asset hashes
 * (which change with every handler edit) are replaced by a placeholder.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeLedgerStack } from './support/synth-ledger-stack.js';

const ASSET_HASH = /[0-9a-f]{64}/g;

let template: Record<string, unknown>;
let bundledTemplate: string;

beforeAll(() => {
  const synthesized = synthesizeLedgerStack({ bundle: true });
  template = synthesized.template.toJSON();
  bundledTemplate = JSON.stringify(template);
}, 120_000);

describe('the synthesized production template', () => {
  it('bundles every handler as ESM (index.mjs exporting handler)', () => {
    const functions = Object.values(
      template.Resources as Record<string, { Type: string; Properties: { Handler?: string } }>,
    ).filter((resource) => resource.Type === 'AWS::Lambda::Function');
    expect(functions.map((fn) => fn.Properties.Handler)).toEqual(
      functions.map(() => 'index.handler'),
    );
    expect(bundledTemplate).toMatch(ASSET_HASH);
  });

  it('matches the reviewed snapshot (asset hashes normalized)', () => {
    const normalized = JSON.parse(bundledTemplate.replace(ASSET_HASH, '<asset-hash>')) as unknown;
    expect(normalized).toMatchSnapshot();
  });
});
