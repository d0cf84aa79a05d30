import { describe, expect, it } from 'vitest';
import { CERTIFICATE_OPTIONS } from '../../../cli/certificate-command';
import { DEPOSIT_OPTIONS } from '../../../cli/deposit-command';
import {
  CERTIFICATE_HELP,
  DEPOSIT_HELP,
  MONITOR_HELP,
  VERIFY_BUNDLE_HELP,
} from '../../../cli/help';
import { MONITOR_OPTIONS } from '../../../cli/monitor-command';
import { VERIFY_BUNDLE_OPTIONS } from '../../../cli/verify-bundle-command';

const COMMANDS = {
  'verify-bundle': { options: VERIFY_BUNDLE_OPTIONS, help: VERIFY_BUNDLE_HELP },
  certificate: { options: CERTIFICATE_OPTIONS, help: CERTIFICATE_HELP },
  deposit: { options: DEPOSIT_OPTIONS, help: DEPOSIT_HELP },
  monitor: { options: MONITOR_OPTIONS, help: MONITOR_HELP },
};

describe('evidence <command> --help', () => {
  for (const [name, { options, help }] of Object.entries(COMMANDS)) {
    it(`documents every option that ${name} accepts, and only those`, () => {
      const accepted = Object.keys(options).map((option) => `--${option}`);
      const documented = [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map(
        (match) => match[1],
      );
      expect(documented.filter((option) => option !== '--help').sort()).toEqual(accepted.sort());
      expect(help).toMatch(new RegExp(`^usage: evidence ${name} `));
    });
  }
});
