/**
 * Builds the stack the way `cdk synth` does (cdk.json's context and feature flags), with
 * optional extra context. Bundling is skipped unless asked for: most assertions are about
 * the template, and esbuild on 2 cores is the slow part. Call once per test file.
 */
import { App } from 'aws-cdk-lib';
import { beforeAll } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseStackConfig } from '../../../infra/config/stack-config.js';
import { REPOSITORY_ROOT } from '../../../infra/constructs/ledger-function.js';
import { EvidenceLedgerStack } from '../../../infra/evidence-ledger-stack.js';
import * as queries from './template-queries.js';

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

/** What a test file reads from the stack it synthesized once: see synthesizeOnce. */
export interface SynthesizedOnce extends SynthesizedLedger {
  /** The logical id of one of the stack's constructs. */
  id(construct: IConstruct): string;
  /** The template queries of template-queries.ts, on this stack's template. */
  resourcesOfType(type: string): ReturnType<typeof queries.resourcesOfType>;
  identityStatements(): ReturnType<typeof queries.identityStatements>;
  statementsOfRole(roleLogicalId: string): ReturnType<typeof queries.statementsOfRole>;
  resourcePolicyStatements(
    type: Parameters<typeof queries.resourcePolicyStatements>[1],
  ): ReturnType<typeof queries.resourcePolicyStatements>;
  propertiesOf(logicalId: string): ReturnType<typeof queries.propertiesOf>;
}

/**
 * Synthesizes the stack once for the calling test file (in a beforeAll, with the time a
 * synth takes on 2 cores) and gives access to it from the tests and later hooks.
 */
export function synthesizeOnce(options: SynthOptions = {}): SynthesizedOnce {
  let synthesized: SynthesizedLedger | undefined;
  beforeAll(() => {
    synthesized = synthesizeLedgerStack(options);
  }, 120_000);
  const get = (): SynthesizedLedger => {
    if (synthesized === undefined)
      throw new Error('the stack is synthesized in beforeAll: use it in a test or a later hook');
    return synthesized;
  };
  return {
    get app() {
      return get().app;
    },
    get stack() {
      return get().stack;
    },
    get template() {
      return get().template;
    },
    id: (construct) => queries.logicalIdOf(get().stack, construct),
    resourcesOfType: (type) => queries.resourcesOfType(get().template, type),
    identityStatements: () => queries.identityStatements(get().template),
    statementsOfRole: (roleLogicalId) => queries.statementsOfRole(get().template, roleLogicalId),
    resourcePolicyStatements: (type) => queries.resourcePolicyStatements(get().template, type),
    propertiesOf: (logicalId) => queries.propertiesOf(get().template, logicalId),
  };
}
