/** Assertions on bundle reports: the first failed check, by id, code and item. */
import { expect } from 'vitest';
import type { BundleCheck, BundleReport } from '../../../core/bundle';

export type ExpectedFailure = Pick<BundleCheck, 'check' | 'code'> & Partial<BundleCheck>;

export function expectFirstFailure(report: BundleReport, expected: ExpectedFailure): void {
  expect(report.ok).toBe(false);
  expect(report.firstFailure).toMatchObject(expected);
}

export function expectValid(report: BundleReport): void {
  expect(report.firstFailure).toBeNull();
  expect(report.ok).toBe(true);
}
