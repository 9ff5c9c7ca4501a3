// The emulator's CA and server certificate, made once in-process (Node's crypto for the RSA keys,
// node-forge for the X.509 certificates: Node cannot issue certificates) and cached in <state>/tls.
// Clients trust ca.pem; the leaf names every host the clients use (loopback and the Azure host
// names a network namespace maps to loopback). Older state directories may hold EC certificates
// made by the openssl CLI; they keep working.

import { constants, generateKeyPairSync, privateEncrypt, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { md as Md, pki as Pki } from 'node-forge';
import { layout } from './state-layout.js';

export interface TlsMaterial {
  caCertPath: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export const SERVER_SANS = [
  'DNS:localhost',
  'IP:127.0.0.1',
  'IP:::1',
  'DNS:management.azure.com',
  'DNS:login.microsoftonline.com',
  'DNS:login.windows.net',
  'IP:169.254.169.254',
];

const FILES = ['ca.pem', 'ca-key.pem', 'server.pem', 'server-key.pem'] as const;
const DAY_MS = 86_400_000;
// The DER DigestInfo header of a SHA-256 digest, which an RSASSA-PKCS1-v1_5 signature encrypts
// in front of the digest (RFC 8017, section 9.2, note 1).
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** Returns the cached certificates of `stateDir`, generating them when any file is missing. */
export async function ensureTls(stateDir: string): Promise<TlsMaterial> {
  const dir = layout.tlsDir(stateDir);
  if (!FILES.every((f) => existsSync(join(dir, f)))) await generate(dir);
  return {
    caCertPath: join(dir, 'ca.pem'),
    ca: readFileSync(join(dir, 'ca.pem')),
    cert: readFileSync(join(dir, 'server.pem')),
    key: readFileSync(join(dir, 'server-key.pem')),
  };
}

async function generate(dir: string): Promise<void> {
  const { default: forge } = await import('node-forge');
  const { pki } = forge;
  // Keys by Node's crypto, and signatures too (forge's own RSA is ten times slower): forge only
  // lays out the certificate and hands the digest to `sign`.
  const rsaKey = (): { pem: string; publicKey: Pki.rsa.PublicKey; signer: { sign(md: Md.MessageDigest): string } } => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
    const sign = (md: Md.MessageDigest): string => {
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')]);
      return privateEncrypt({ key: pair.privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
    };
    return { pem: pair.privateKey, publicKey: pki.publicKeyFromPem(pair.publicKey), signer: { sign } };
  };
  const certificate = (publicKey: Pki.PublicKey, days: number): Pki.Certificate => {
    const cert = pki.createCertificate();
    cert.publicKey = publicKey;
    // A positive 128-bit serial (leading byte 01), random so that no two state directories share one.
    cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
    const now = Date.now();
    cert.validity.notBefore = new Date(now - DAY_MS);
    cert.validity.notAfter = new Date(now + days * DAY_MS);
    return cert;
  };

  const caKey = rsaKey();
  const ca = certificate(caKey.publicKey, 3650);
  const caName = [{ name: 'commonName', value: 'azchroot emulator CA' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKey.signer as Pki.rsa.PrivateKey, forge.md.sha256.create());

  const serverKey = rsaKey();
  const server = certificate(serverKey.publicKey, 825);
  server.setSubject([{ name: 'commonName', value: 'localhost' }]);
  server.setIssuer(caName);
  server.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: SERVER_SANS.map(altName) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  server.sign(caKey.signer as Pki.rsa.PrivateKey, forge.md.sha256.create());

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Written in a temp dir next to the target, then renamed file by file: a crash never leaves a half set.
  const work = mkdtempSync(join(dir, '.gen-'));
  try {
    const files: Record<(typeof FILES)[number], string> = {
      'ca.pem': pki.certificateToPem(ca),
      'ca-key.pem': caKey.pem,
      'server.pem': pki.certificateToPem(server),
      'server-key.pem': serverKey.pem,
    };
    for (const f of FILES) writeFileSync(join(work, f), files[f], { mode: f.endsWith('-key.pem') ? 0o600 : 0o644 });
    for (const f of FILES) renameSync(join(work, f), join(dir, f));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `DNS:name` or `IP:address` as a forge subjectAltName entry (type 2: dNSName, 7: iPAddress). */
function altName(san: string): { type: number; value?: string; ip?: string } {
  const [kind, ...rest] = san.split(':');
  const value = rest.join(':');
  return kind === 'IP' ? { type: 7, ip: value } : { type: 2, value };
}
