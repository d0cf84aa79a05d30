/**
 * The worked example of docs/FORMAT.md, computed by the project's own code from the fixed
 * test keys in test/vectors/format-example/ (deterministic RFC 6979 signatures), so every
 * value in the document is real and recomputable.
 *
 *   npx tsx scripts/format-example.ts           print the example section
 *   npx tsx scripts/format-example.ts --write   rewrite it in docs/FORMAT.md, and the files
 *
 * test/unit/bundle/format-example.test.ts checks the document still matches.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { p256 } from '@noble/curves/nist.js';
import { buildBundle, type EvidenceBundle } from '../core/bundle';
import { P256_SPKI_PREFIX } from '../core/bundle/trusted-keys';
import { canonicalJson } from '../core/canonical-json';
import { signCheckpoint } from '../core/checkpoint/signed-checkpoint';
import { formatVerifierKey, noteVerifierKey, formatKeyId } from '../core/checkpoint/note-key';
import { buildRecords } from '../core/chain';
import { depositIdFor } from '../core/deposit-id';
import { base64Encode, bytesToHex, concatBytes, hexToBytes, utf8Encode } from '../core/encoding';
import { sha256 } from '../core/hashing';
import { recordLeafHash, rfc9162Hasher } from '../core/merkle/hasher';
import { treeRoot } from '../core/merkle/tree';
import { signAttestation } from '../core/party-signatures';
import { recordBody } from '../core/record';
import { attestationStatement, statementMessage } from '../core/statement';
import { GENESIS_HEAD, PARTY_ROLES, type Deposit, type PartyRole } from '../core/types';

const DIR = new URL('../test/vectors/format-example/', import.meta.url);
export const FORMAT_MD = new URL('../docs/FORMAT.md', import.meta.url);
export const EXAMPLE_MARKERS = [
  '<!-- format-example:start -->',
  '<!-- format-example:end -->',
] as const;
const ORIGIN = 'ledger.example/evidence';
const EXHIBITS = ['W-01', 'W-02', 'W-03'].map((id) =>
  utf8Encode(`Witness statement ${id}, case 2026-0147.\n`),
);

function exampleParty(role: PartyRole, secretHex: string) {
  const secret = hexToBytes(secretHex);
  const publicKeySpki = concatBytes(P256_SPKI_PREFIX, p256.getPublicKey(secret, false));
  const keyId = `arn:aws:kms:eu-west-1:111122223333:key/example-${role}`;
  // KMS Sign, MessageType=DIGEST over SHA-256(message): plain ECDSA-SHA256 over the message.
  // RFC 6979 deterministic nonces (no extra entropy) and s normalised to s ≤ n/2, so the
  // example reproduces byte for byte and has one spelling per signature (FORMAT.md §13).
  const sign = (message: Uint8Array) =>
    Promise.resolve(p256.sign(message, secret, { format: 'der', lowS: true, extraEntropy: false }));
  return {
    role,
    keyId,
    noteKeyName: `${ORIGIN}/${role}`,
    publicKeySpki,
    signer: { role, keyId, sign },
  };
}

function depositOf(bytes: Uint8Array, index: number): Deposit {
  const object = {
    bucket: 'example-evidence',
    key: `case-2026-0147/statements/w-0${index + 1}.txt`,
    versionId: `example-version-${index + 1}`,
  };
  return {
    depositId: depositIdFor(object),
    ...object,
    size: bytes.length,
    sha256: bytesToHex(sha256(bytes)),
    uploadedAt: `2026-11-24T02:36:5${index}.000Z`,
    uploader: { principalId: 'AWS:AROAEXAMPLEROLEID:dc-4471', sourceIp: '198.51.100.7' },
    caseMetadata: { 'case-id': '2026-0147', exhibit: `W-0${index + 1}` },
  };
}

export async function formatExample() {
  const keys = JSON.parse(readFileSync(new URL('test-keys.json', DIR), 'utf8')) as Record<
    PartyRole,
    string
  >;
  const parties = PARTY_ROLES.map((role) => exampleParty(role, keys[role]));
  const signers = parties.map((p) => p.signer);
  const approved = await Promise.all(
    EXHIBITS.map(async (bytes, i) => {
      const deposit = depositOf(bytes, i);
      return {
        deposit,
        signatures: await Promise.all(signers.map((s) => signAttestation(s, deposit))),
      };
    }),
  );
  const { records } = buildRecords(GENESIS_HEAD, approved, new Date('2026-11-24T02:37:00.000Z'));
  const leaves = records.map((r) => recordLeafHash(r.recordHash));
  const checkpoint = {
    origin: ORIGIN,
    treeSize: records.length,
    rootHash: treeRoot(leaves),
    extensions: [],
  };
  const note = await signCheckpoint(
    checkpoint,
    parties.map(({ noteKeyName, publicKeySpki, signer }) => ({
      keyName: noteKeyName,
      publicKeySpki,
      signer,
    })),
  );
  const bundle = buildBundle({
    checkpointNote: note,
    records: [records[1]!],
    proofs: { leafHashes: leaves },
    exportedAt: '2026-11-24T03:00:00.000Z',
    tool: { name: 'evidence-ledger', version: '0.1.0' },
    parties,
  });
  const trustedKeys = {
    format: 'evidence-ledger/trusted-keys/v1',
    origin: ORIGIN,
    parties: parties.map((p) => ({
      role: p.role,
      keyId: p.keyId,
      noteKeyName: p.noteKeyName,
      publicKey: base64Encode(p.publicKeySpki),
    })),
  };
  return { parties, records, leaves, note, bundle, trustedKeys, exhibit: EXHIBITS[1]! };
}

type Example = Awaited<ReturnType<typeof formatExample>>;
const block = (lang: string, text: string) => `\`\`\`${lang}\n${text.replace(/\n$/, '')}\n\`\`\`\n`;
const hex = bytesToHex;

function depositSection({ records, exhibit }: Example): string {
  const { deposit } = records[1]!;
  const { bucket, key, versionId } = deposit;
  return `### Evidence file and deposit (record 1)

The file \`exhibit-w-02.txt\` is the ${exhibit.length} UTF-8 bytes ${JSON.stringify(new TextDecoder().decode(exhibit))}; its SHA-256 is \`${deposit.sha256}\`.

Deposit id input, JCS({bucket, key, versionId}):
${block('json', canonicalJson({ bucket, key, versionId }))}
depositId = SHA-256("evidence-ledger:deposit-id:v1" ‖ 0x00 ‖ that) = \`${deposit.depositId}\`
`;
}

function statementSection({ records, parties }: Example): string {
  const { deposit, signatures } = records[1]!;
  const statement = attestationStatement('agency', deposit);
  const message = statementMessage(statement);
  const keys = parties.map(
    (p) =>
      `- ${p.role}: keyId \`${p.keyId}\`, public key (SPKI, base64) \`${base64Encode(p.publicKeySpki)}\``,
  );
  return `### Statement and signatures (record 1)

Party keys:
${keys.join('\n')}

The agency's statement, JCS:
${block('json', canonicalJson(statement))}
The signed message is "evidence-ledger:attestation:v1" ‖ 0x00 ‖ those ${message.length - 31} bytes (${message.length} bytes in all); SHA-256(message), the digest KMS signs, is \`${hex(sha256(message))}\`. Signatures (DER, base64; RFC 6979 deterministic and low-s normalised here, KMS's are randomised):
${signatures.map((s) => `- ${s.role}: \`${s.signature}\``).join('\n')}
`;
}

function recordSection({ records, leaves }: Example): string {
  const [n0, n1] = [0, 1].map((i) => leaves[i]!);
  const left = rfc9162Hasher.hashChildren(n0!, n1!);
  return `### Record 1, the chain and the tree

Record 1's body, JCS (what its hash covers):
${block('json', canonicalJson(recordBody(records[1]!)))}
recordHash = SHA-256("evidence-ledger:record:v1" ‖ 0x00 ‖ that). The three records:

| seq | prevHash | recordHash | leaf = SHA-256(0x00 ‖ recordHash bytes) |
|---|---|---|---|
${records.map((r, i) => `| ${r.seq} | \`${r.prevHash}\` | \`${r.recordHash}\` | \`${hex(leaves[i]!)}\` |`).join('\n')}

Tree of size 3: node(0,2) = SHA-256(0x01 ‖ leaf0 ‖ leaf1) = \`${hex(left)}\`; root = SHA-256(0x01 ‖ node(0,2) ‖ leaf2) = \`${hex(treeRoot(leaves))}\` (base64 \`${base64Encode(treeRoot(leaves))}\`).
The inclusion proof of seq 1 is [leaf0, leaf2]: r = SHA-256(0x01 ‖ leaf0 ‖ leaf1), then root = SHA-256(0x01 ‖ r ‖ leaf2).
`;
}

function checkpointSection({ parties, note }: Example): string {
  const verifiers = parties.map((p) => noteVerifierKey(p.noteKeyName, p.publicKeySpki));
  const lines = verifiers.map(
    (v, i) =>
      `- ${parties[i]!.role}: key ID \`${formatKeyId(v.keyId)}\` = SHA-256(SPKI)[:4]; verifier key \`${formatVerifierKey(v)}\``,
  );
  return `### Checkpoint

${lines.join('\n')}

The co-signed note (the bundle's \`checkpoint.note\`); its SHA-256, the imprint a timestamp token would carry, is \`${hex(sha256(utf8Encode(note)))}\`:
${block('text', note)}`;
}

function filesSection({ bundle, trustedKeys }: Example): string {
  return `### Bundle (record 1) and trusted-keys file

${block('json', JSON.stringify(bundle, null, 2))}
${block('json', JSON.stringify(trustedKeys, null, 2))}`;
}

export function exampleMarkdown(example: Example): string {
  const sections = [
    depositSection,
    statementSection,
    recordSection,
    checkpointSection,
    filesSection,
  ];
  return sections.map((section) => section(example)).join('\n');
}

/** The files written next to the test keys: name → contents. */
export function exampleFiles(example: Example): Record<string, string | Uint8Array> {
  return {
    'example-bundle.json': `${JSON.stringify(example.bundle satisfies EvidenceBundle, null, 2)}\n`,
    'example-trusted-keys.json': `${JSON.stringify(example.trustedKeys, null, 2)}\n`,
    'exhibit-w-02.txt': example.exhibit,
  };
}

/**
 * `doc` (FORMAT.md's text) with the example section replaced by `markdown`, formatted with
 * the project's Prettier settings so that `npm run format` leaves it unchanged.
 */
export async function withExampleSection(doc: string, markdown: string): Promise<string> {
  const [start, end] = EXAMPLE_MARKERS;
  const [before, rest = ''] = doc.split(start);
  const after = rest.split(end)[1] ?? '';
  const options = await resolveConfig(fileURLToPath(FORMAT_MD));
  return format(`${before}${start}\n${markdown}${end}${after}`, { ...options, parser: 'markdown' });
}

async function main(write: boolean): Promise<void> {
  const example = await formatExample();
  const markdown = exampleMarkdown(example);
  if (!write) return void process.stdout.write(markdown);
  writeFileSync(FORMAT_MD, await withExampleSection(readFileSync(FORMAT_MD, 'utf8'), markdown));
  for (const [name, contents] of Object.entries(exampleFiles(example))) {
    writeFileSync(new URL(name, DIR), contents);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  await main(process.argv.includes('--write'));
