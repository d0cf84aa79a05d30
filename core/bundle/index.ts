/** Evidence bundles: build one, verify one (the same code in Node and in a browser). */
export { buildBundle, type BuildBundleInput, type ProofSource } from './build-bundle';
export {
  BUNDLE_FORMAT,
  bundleSchema,
  type BundleItem,
  type EvidenceBundle,
  type InclusionProofJson,
} from './bundle-schema';
export {
  bundleReport,
  failed,
  formatFirstFailure,
  type BundleCheck,
  type BundleReport,
} from './bundle-report';
export type { EvidenceDigest } from './evidence-check';
export { INFORMATIVE_FIELDS } from './informative-fields';
export {
  parseTrustedKeys,
  parseTrustedKeysFile,
  TRUSTED_KEYS_FORMAT,
  type TrustedKeys,
} from './trusted-keys';
export { verifyBundle, verifyBundleFile, type VerifyBundleOptions } from './verify-bundle';
