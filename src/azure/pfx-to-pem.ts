// client_cert_path is a PKCS#12 bundle (as in Packer's plugin); @azure/identity wants PEM. Node
// cannot open a .pfx, so node-forge does, in-process: no openssl binary, and the password never
// leaves this process. Forge reads the current encryption (PBES2 with AES, SHA-256 MAC) and the
// legacy one of older bundles (RC2/3DES, SHA-1) alike.

import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AzchrootError } from '../errors.js';

/** PEM text (private key + certificates) of the PKCS#12 file at `path`; a file already in PEM is returned as is. */
export async function pfxToPem(path: string, password = ''): Promise<string> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (err) {
    throw new AzchrootError('AZC_AUTH_CERT', `cannot read client_cert_path ${path}: ${(err as Error).message}`, 'user', {
      hint: 'Point client_cert_path at a readable PKCS#12 (.pfx) file.',
      cause: err,
    });
  }
  if (raw.includes('-----BEGIN')) return raw.toString('utf8');
  try {
    return await pkcs12ToPem(raw, password);
  } catch (err) {
    throw new AzchrootError('AZC_AUTH_CERT', `cannot read the certificate and key in client_cert_path ${path}: ${describe(err)}`, 'user', {
      hint: 'client_cert_path must be a PKCS#12 (.pfx) file with the private key; check client_cert_password.',
      cause: err,
    });
  }
}

async function pkcs12ToPem(raw: Buffer, password: string): Promise<string> {
  const { default: forge } = await import('node-forge');
  const der = forge.util.createBuffer(raw.toString('binary'));
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), false, password);
  const { pki } = forge;
  const keyBags = [pki.oids.pkcs8ShroudedKeyBag!, pki.oids.keyBag!].flatMap((bagType) => p12.getBags({ bagType })[bagType] ?? []);
  const key = keyBags.find((b) => b.key)?.key;
  if (!key) throw new Error(keyBags.length > 0 ? 'its private key is not an RSA key (Microsoft Entra certificate credentials are RSA)' : 'the file holds no private key');
  const certs = (p12.getBags({ bagType: pki.oids.certBag! })[pki.oids.certBag!] ?? []).flatMap((b) => (b.cert ? [b.cert] : []));
  if (certs.length === 0) throw new Error('the file holds no certificate');
  // PKCS#8, the form every PEM reader takes, from forge's PKCS#1.
  const pkcs8 = createPrivateKey(pki.privateKeyToPem(key)).export({ type: 'pkcs8', format: 'pem' }).toString();
  return pkcs8 + certs.map((c) => pki.certificateToPem(c)).join('');
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/MAC could not be verified/i.test(message)) return 'the password does not open it';
  if (/Too few bytes|not a sequence|Unparsed DER|ASN\.1/i.test(message)) return 'the file is not a PKCS#12 bundle';
  return message;
}
