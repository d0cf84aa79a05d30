import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import type { FunctionDefinition, PipelineEnvName } from '../../definitions/pipeline.js';
import type { LedgerFunctionProps } from './ledger-function.js';
import { LedgerFunction } from './ledger-function.js';
import type { PipelineQueue } from './pipeline-queue.js';

/** A pipeline stage: a LedgerFunction that consumes the source queue of its definition. */
export class PipelineFunction extends LedgerFunction<PipelineEnvName> {
  override readonly definition: FunctionDefinition;

  constructor(
    scope: Construct,
    id: string,
    props: LedgerFunctionProps<PipelineEnvName> & { readonly definition: FunctionDefinition },
  ) {
    super(scope, id, props);
    this.definition = props.definition;
  }

  /** Consumes the definition's source queue with the definition's batching settings. */
  bindSource(source: PipelineQueue): void {
    if (source.definition !== this.definition.source) {
      throw new Error(
        `${this.definition.id} reads ${this.definition.source.id}, not ${source.definition.id}`,
      );
    }
    const { batchSize, maxBatchingWindowSeconds, maxConcurrency } = this.definition;
    this.function.addEventSource(
      new SqsEventSource(source.queue, {
        batchSize,
        reportBatchItemFailures: true,
        ...(maxBatchingWindowSeconds > 0
          ? { maxBatchingWindow: Duration.seconds(maxBatchingWindowSeconds) }
          : {}),
        ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
      }),
    );
  }
}
