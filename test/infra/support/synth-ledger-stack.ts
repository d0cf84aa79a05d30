/**
 * Builds the stack the way `cdk synth` does (cdk.json's context and feature flags), with
 * optional extra context. Bundling is skipped unless asked for: most assertions are about
 * the template, and esbuild on 2 cores is the slow part. Call once per test file.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseStackConfig } from '../../../infra/config/stack-config.js';
import { REPOSITORY_ROOT } from '../../../infra/constructs/ledger-function.js';
import { EvidenceLedgerStack } from '../../../infra/evidence-ledger-stack.js';

export interface SynthOptions {
  /** Context keys of infra/config/stack-config.ts, as `-c` or cdk.json would give them. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Run esbuild for the functions (slow); otherwise bundling is skipped. */
  readonly bundle?: boolean;
  /** Cloud assembly directory; a temporary one by default. */
  readonly outdir?: string;
}

export interface SynthesizedLedger {
  readonly app: App;
  readonly stack: EvidenceLedgerStack;
  readonly template: Template;
}

interface CdkJson {
  readonly context: Record<string, unknown>;
}

const cdkJson = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as CdkJson;

export function synthesizeLedgerStack(options: SynthOptions = {}): SynthesizedLedger {
  const context = options.context ?? {};
  const app = new App({
    context: {
      ...cdkJson.context,
      ...context,
      ...(options.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
  });
  const config = parseStackConfig(context);
  const stack = new EvidenceLedgerStack(app, 'EvidenceLedger', {
    config,
    stackName: config.deploymentName,
  });
  return { app, stack, template: Template.fromStack(stack) };
}
