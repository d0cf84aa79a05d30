/**
 * The folder zones are enforced by lint, not by good intentions: each planted violation below
 * is a real file written into the zone, linted with the project's own eslint.config.js, and
 * must be reported by the rule that guards that boundary.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

interface Plant {
  readonly file: string;
  readonly source: string;
  readonly rule: string;
}

const PLANTS: Record<string, Plant> = {
  'core/ importing functions/ two levels up': {
    file: 'core/pipeline/zz-planted-violation.ts',
    source: "import { once } from '../../functions/shared/once';\nexport const planted = once;\n",
    rule: 'import-x/no-restricted-paths',
  },
  'core/ importing infra/ from a nested folder': {
    file: 'core/audit/zz-planted-violation.ts',
    source:
      "import type { StackConfig } from '../../infra/config/stack-config';\nexport type Planted = StackConfig;\n",
    rule: 'import-x/no-restricted-paths',
  },
  'core/ importing a Node built-in': {
    file: 'core/zz-planted-violation.ts',
    source: "import { readFile } from 'node:fs/promises';\nexport const planted = readFile;\n",
    rule: 'no-restricted-imports',
  },
  'functions/ importing infra/': {
    file: 'functions/shared/zz-planted-violation.ts',
    source:
      "import type { StackConfig } from '../../infra/config/stack-config';\nexport type Planted = StackConfig;\n",
    rule: 'import-x/no-restricted-paths',
  },
  'infra/ importing a runtime adapter': {
    file: 'infra/constructs/zz-planted-violation.ts',
    source:
      "import { once } from '../../functions/shared/once.js';\nexport const planted = once;\n",
    rule: 'import-x/no-restricted-paths',
  },
  'cli/ importing the local runtime': {
    file: 'cli/zz-planted-violation.ts',
    source:
      "import { LocalDeployment } from '../tools/local-runtime/local-deployment';\nexport const planted = LocalDeployment;\n",
    rule: 'import-x/no-restricted-paths',
  },
};

const written: string[] = [];

afterAll(async () => {
  await Promise.all(written.map((path) => rm(path, { force: true })));
});

async function lintPlanted(plant: Plant): Promise<string[]> {
  const path = join(ROOT, plant.file);
  written.push(path);
  await writeFile(path, plant.source);
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintFiles([path]);
  return (result?.messages ?? []).map((message) => message.ruleId ?? `parse: ${message.message}`);
}

describe('folder zones', () => {
  for (const [name, plant] of Object.entries(PLANTS)) {
    it(`reports ${name} with ${plant.rule}`, async () => {
      expect(await lintPlanted(plant)).toContain(plant.rule);
    }, 120_000);
  }

  it('accepts an import that the zones allow (functions/ importing core/ and definitions/)', async () => {
    const rules = await lintPlanted({
      file: 'functions/shared/zz-planted-allowed.ts',
      source:
        "import { ENV } from '../../definitions/environment';\nimport { bytesEqual } from '../../core/merkle/checks';\nexport const allowed = [ENV, bytesEqual];\n",
      rule: '',
    });
    expect(rules).toEqual([]);
  }, 120_000);
});
