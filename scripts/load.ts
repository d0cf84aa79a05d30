/**
 * `npm run load -- --uploads 5000 --clients 32`: the load run (tools/load/). Prints the
 * report; exits 0 when every check holds, 1 naming those that failed, 2 on bad options.
 */
import { formatLoadReport } from '../tools/load/load-report';
import { LOAD_HELP, LoadUsageError, parseLoadOptions } from '../tools/load/load-options';
import { runLoad } from '../tools/load/load-run';

function parsed(): ReturnType<typeof parseLoadOptions> {
  try {
    return parseLoadOptions(process.argv.slice(2));
  } catch (error) {
    console.error(
      `${error instanceof LoadUsageError ? error.message : String(error)}\n\n${LOAD_HELP}`,
    );
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const { options, json, help } = parsed();
  if (help) {
    console.log(LOAD_HELP);
    return;
  }
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  console.error(
    `load run: ${options.uploads} uploads, ${options.clients} clients, seed ${options.seed}`,
  );
  try {
    const report = await runLoad(options, (line) => console.error(`  ${line}`));
    console.log(json ? JSON.stringify(report, null, 2) : formatLoadReport(report));
    process.exitCode = report.ok ? 0 : 1;
  } catch (error) {
    console.error(`FAILED: run: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
  // A timed-out run may leave uploads or polls pending on stopped emulators: do not wait for them.
  process.exit();
}

await main();
