/** The queue that feeds the next stage of the pipeline (SQS in production). */
export interface StageQueue {
  send(depositId: string): Promise<void>;
}
