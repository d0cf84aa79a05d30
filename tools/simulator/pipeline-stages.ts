/**
 * The four SQS-fed stages, built as their Lambdas build them (the handler factories of
 * functions/), from ports that go through the scheduler: one set per invocation, so every
 * port call is gated and attributed to its invocation.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { StageQueue } from '../../core/pipeline/stage-queue';
import type { DepositWriter } from '../../core/ports/deposits';
import type { EvidenceObjects } from '../../core/ports/evidence-objects';
import type { PartyStateStore } from '../../core/ports/party-state';
import type { LedgerAppender } from '../../core/ports/ledger';
import type { PartyRole } from '../../core/types';
import {
  AGENCY_SIGNER_FUNCTION,
  APPENDER_FUNCTION,
  CUSTODIAN_SIGNER_FUNCTION,
  HASHER_FUNCTION,
  type FunctionDefinition,
} from '../../definitions/pipeline';
import { agencySignerHandler } from '../../functions/agency-signer/agency-signer';
import { appenderHandler } from '../../functions/appender/appender';
import { custodianSignerHandler } from '../../functions/custodian-signer/custodian-signer';
import { hasherHandler } from '../../functions/hasher/hasher';
import { gatedPort, type Gate } from './gated-port';
import { kmsSigner, kmsTrusted } from './kms-ports';
import { sendingBeforeSaving } from './planted-bugs';
import { silentObservability } from './silent-observability';
import type { SimQueue } from './sim-queue';
import { BUCKET, type StageQueues, type World } from './world';

export type StageName = 'hasher' | 'agency-signer' | 'custodian-signer' | 'appender';

export interface StageSpec {
  readonly name: StageName;
  readonly queue: keyof StageQueues;
  readonly definition: FunctionDefinition;
  /** Concurrent invocations the simulated event source mapping runs. */
  readonly concurrency: number;
}

export const STAGES: readonly StageSpec[] = [
  { name: 'hasher', queue: 'intake', definition: HASHER_FUNCTION, concurrency: 3 },
  {
    name: 'agency-signer',
    queue: 'agencySign',
    definition: AGENCY_SIGNER_FUNCTION,
    concurrency: 2,
  },
  {
    name: 'custodian-signer',
    queue: 'custodianSign',
    definition: CUSTODIAN_SIGNER_FUNCTION,
    concurrency: 2,
  },
  {
    name: 'appender',
    queue: 'append',
    definition: APPENDER_FUNCTION,
    concurrency: APPENDER_FUNCTION.maxConcurrency ?? 2,
  },
];

type SqsInvocation = (event: SQSEvent, context: object) => Promise<SQSBatchResponse>;

/** A stage queue whose send is a gated SQS SendMessage into `queue`. */
export function stageQueue(world: World, gate: Gate, queue: SimQueue): StageQueue {
  const target: StageQueue = {
    send: (depositId) => {
      world.deliver(queue, JSON.stringify({ depositId }));
      return Promise.resolve();
    },
  };
  return gatedPort(gate, `sqs.send:${queue.name}`, target, ['send']);
}

export function gatedObjects(world: World, gate: Gate): EvidenceObjects {
  return gatedPort(gate, 's3', world.objects as EvidenceObjects, [
    'versionsMatching',
    'head',
    'digest',
  ]);
}

function gatedDeposits(world: World, gate: Gate): DepositWriter {
  return gatedPort(gate, 'deposits', world.deposits as DepositWriter, [
    'get',
    'create',
    'addSignature',
    'fail',
  ]);
}

function gatedParty(world: World, gate: Gate, role: PartyRole): PartyStateStore {
  return gatedPort(gate, `${role}Party`, world.parties[role] as PartyStateStore, [
    'get',
    'saveHashProgress',
    'recordFacts',
    'recordSignature',
  ]);
}

/** The mailbox a stage writes, with the send-before-save bug when it is planted. */
function mailbox(world: World, gate: Gate, next: StageQueue): DepositWriter {
  const deposits = gatedDeposits(world, gate);
  return world.options.plantedBug === 'send-before-save'
    ? sendingBeforeSaving(deposits, next)
    : deposits;
}

const observability = {
  hasher: silentObservability('hasher'),
  'agency-signer': silentObservability('agency-signer'),
  'custodian-signer': silentObservability('custodian-signer'),
  appender: silentObservability('appender'),
};

/** The handler one invocation of `stage` runs, over ports gated for that invocation. */
export function stageHandler(world: World, gate: Gate, stage: StageName): SqsInvocation {
  const { queues, clock } = world;
  const objects = gatedObjects(world, gate);
  switch (stage) {
    case 'hasher': {
      const next = stageQueue(world, gate, queues.agencySign);
      return hasherHandler(
        {
          objects,
          deposits: mailbox(world, gate, next),
          party: gatedParty(world, gate, 'agency'),
          next,
          continueOn: stageQueue(world, gate, queues.intake),
          clock,
        },
        observability.hasher,
      ) as SqsInvocation;
    }
    case 'agency-signer': {
      const next = stageQueue(world, gate, queues.custodianSign);
      return agencySignerHandler(
        {
          signer: kmsSigner(world, gate, 'agency'),
          deposits: mailbox(world, gate, next),
          party: gatedParty(world, gate, 'agency'),
          objects,
          evidenceBucket: BUCKET,
          next,
          clock,
        },
        observability['agency-signer'],
      ) as SqsInvocation;
    }
    case 'custodian-signer': {
      const next = stageQueue(world, gate, queues.append);
      return custodianSignerHandler(
        {
          signer: kmsSigner(world, gate, 'custodian'),
          deposits: mailbox(world, gate, next),
          party: gatedParty(world, gate, 'custodian'),
          objects,
          evidenceBucket: BUCKET,
          next,
          clock,
          rehash: {
            continueOn: stageQueue(world, gate, queues.custodianSign),
            trusted: kmsTrusted(world, gate),
          },
        },
        observability['custodian-signer'],
      ) as SqsInvocation;
    }
    case 'appender':
      return appenderHandler(
        {
          deposits: gatedDeposits(world, gate),
          ledger: gatedPort(gate, 'ledger', world.ledger as LedgerAppender, [
            'head',
            'read',
            'append',
          ]),
          trusted: kmsTrusted(world, gate),
          clock,
          // Retries after a lost head wait in virtual time, which stands still in an invocation.
          backoff: () => Promise.resolve(),
        },
        observability.appender,
      ) as SqsInvocation;
  }
}
