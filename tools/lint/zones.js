// @ts-check
/**
 * The folder zones of this repository, as `import-x/no-restricted-paths` zones: each entry says
 * which folders a folder may NOT import from. The map in docs/ARCHITECTURE.md is this table.
 *
 *   core/         pure domain logic; imports only core/ (and libraries)
 *   definitions/  neutral resource definitions; imports only core/ types
 *   functions/    Lambda handlers and their AWS adapters; imports core/ and definitions/
 *   infra/        the CDK stacks; imports definitions/ (never runtime adapters)
 *   web/          the browser verifier page; imports core/
 *   cli/          the `evidence` command; imports core/, definitions/, functions/shared/
 *   tools/        local runtime, emulators, TSA, lint: may use everything below it
 *   scripts/      demo, bench, generators: may use everything except tests
 *   test/         may use everything
 */
const ALL = ['core', 'definitions', 'functions', 'infra', 'web', 'cli', 'tools', 'scripts', 'test'];

/** @type {Record<string, readonly string[]>} folder -> the folders it may import from */
export const MAY_IMPORT = {
  core: ['core'],
  definitions: ['definitions', 'core'],
  functions: ['functions', 'core', 'definitions'],
  infra: ['infra', 'definitions', 'core'],
  web: ['web', 'core'],
  cli: ['cli', 'core', 'definitions', 'functions'],
  tools: ['tools', 'core', 'definitions', 'functions', 'infra', 'cli'],
  scripts: ['scripts', 'core', 'definitions', 'functions', 'infra', 'cli', 'tools', 'web'],
  test: ALL,
};

export const ZONES = Object.entries(MAY_IMPORT).flatMap(([target, allowed]) => {
  const forbidden = ALL.filter((folder) => !allowed.includes(folder));
  return forbidden.length === 0
    ? []
    : [
        {
          target: `./${target}`,
          from: forbidden.map((folder) => `./${folder}`),
          message: `${target}/ may import only from ${allowed.join(', ')} (see docs/ARCHITECTURE.md).`,
        },
      ];
});
