/**
 * Starts the backend the integration tests run against, once per run:
 *   EVIDENCE_LEDGER_BACKEND=emulators (default)  moto + LocalStack KMS on the host, no Docker
 *   EVIDENCE_LEDGER_BACKEND=localstack           LocalStack in Docker via testcontainers
 *   EVIDENCE_LEDGER_BACKEND=aws                  a real account (credentials and region from the
 *                                                environment; needs EVIDENCE_LEDGER_AWS_CONFIRM=yes)
 */
import type { TestProject } from 'vitest/node';
import { startLocalEmulators } from '../../tools/emulators/local-emulators';
import { emulatorClientOptions } from '../../tools/local-runtime/emulator-backend';
import type { BackendDescriptor, BackendName } from './backend-descriptor';
import { dockerUnavailableReason, startLocalStack } from './localstack-backend';

type Teardown = () => Promise<void>;

async function startBackend(
  name: BackendName,
): Promise<{ descriptor: BackendDescriptor; teardown: Teardown }> {
  if (name === 'emulators') {
    const emulators = await startLocalEmulators();
    return {
      descriptor: {
        name,
        clientOptions: emulatorClientOptions(emulators.endpoints),
        skipReason: null,
        retentionMode: 'GOVERNANCE',
      },
      teardown: () => emulators.stop(),
    };
  }
  if (name === 'localstack') {
    const reason = await dockerUnavailableReason();
    if (reason) {
      return {
        descriptor: { name, clientOptions: {}, skipReason: reason, retentionMode: 'GOVERNANCE' },
        teardown: async () => {},
      };
    }
    const { container, clientOptions } = await startLocalStack();
    return {
      descriptor: { name, clientOptions, skipReason: null, retentionMode: 'GOVERNANCE' },
      teardown: async () => {
        await container.stop();
      },
    };
  }
  const confirmed = process.env.EVIDENCE_LEDGER_AWS_CONFIRM === 'yes';
  return {
    descriptor: {
      name,
      clientOptions: process.env.AWS_REGION ? { region: process.env.AWS_REGION } : {},
      skipReason: confirmed
        ? null
        : 'real AWS needs EVIDENCE_LEDGER_AWS_CONFIRM=yes (it creates billable resources)',
      retentionMode: 'GOVERNANCE',
    },
    teardown: async () => {},
  };
}

function backendName(): BackendName {
  const value = process.env.EVIDENCE_LEDGER_BACKEND ?? 'emulators';
  if (value === 'emulators' || value === 'localstack' || value === 'aws') return value;
  throw new Error(`EVIDENCE_LEDGER_BACKEND must be emulators, localstack or aws, not ${value}`);
}

export default async function setup(project: TestProject): Promise<Teardown> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const { descriptor, teardown } = await startBackend(backendName());
  project.provide('backend', descriptor);
  return teardown;
}
