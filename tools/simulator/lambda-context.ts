/**
 * The Lambda context a simulated invocation gets. Virtual time stands still inside an
 * invocation, so the time left is the function's timeout, unless the run exhausts the budget:
 * then it is gone after `budgetReads` looks at it, which cuts a digest off mid-slice
 * (functions/shared/work-budget.ts reads it after every part).
 */
import type { Context } from 'aws-lambda';

export function lambdaContext(
  functionName: string,
  timeoutSeconds: number,
  budgetReads: number | null,
  requestId: string,
): Context {
  let reads = 0;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'simulated',
    getRemainingTimeInMillis: () => {
      reads += 1;
      return budgetReads !== null && reads > budgetReads ? 0 : timeoutSeconds * 1000;
    },
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
