// rsadecrypt(ciphertext, privatekey): RSA PKCS #1 v1.5 decryption of base64 text with a PEM
// "RSA PRIVATE KEY" (PKCS #1), as Packer's function does. Node 20 refuses PKCS #1 v1.5 private
// decryption, so the modular exponentiation is done here on the key's JWK components.

import { createPrivateKey } from 'node:crypto';

const b64url = (s: string): bigint => BigInt('0x' + Buffer.from(s, 'base64url').toString('hex'));

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** Decrypts; throws a plain Error with Packer's wording. */
export function rsaDecrypt(ciphertext: string, pem: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(ciphertext) || ciphertext.length % 4 !== 0) {
    throw new Error(`failed to decode input ${JSON.stringify(ciphertext)}: cipher text must be base64-encoded`);
  }
  const block = /-----BEGIN ([A-Z ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pem);
  if (!block) throw new Error('failed to parse key: no key found');
  if (/Proc-Type:\s*4,ENCRYPTED/.test(block[2] as string)) {
    throw new Error('failed to parse key: password protected keys are not supported. Please decrypt the key prior to use');
  }
  if (block[1] !== 'RSA PRIVATE KEY') throw new Error('failed to parse key: x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)');
  let jwk: { n?: string; d?: string };
  try {
    jwk = createPrivateKey({ key: block[0], format: 'pem' }).export({ format: 'jwk' }) as { n?: string; d?: string };
  } catch (e) {
    throw new Error(`failed to parse key: ${(e as Error).message}`);
  }
  const n = b64url(jwk.n as string);
  const d = b64url(jwk.d as string);
  const k = Math.ceil(n.toString(16).length / 2);
  const c = Buffer.from(ciphertext, 'base64');
  const cv = c.length === 0 ? 0n : BigInt('0x' + c.toString('hex'));
  if (c.length !== k || cv >= n) throw new Error('failed to decrypt: crypto/rsa: decryption error');
  const em = Buffer.from(modPow(cv, d, n).toString(16).padStart(k * 2, '0'), 'hex');
  // EM = 0x00 || 0x02 || PS (at least 8 nonzero bytes) || 0x00 || M
  const sep = em.indexOf(0, 2);
  if (em[0] !== 0 || em[1] !== 2 || sep < 10) throw new Error('failed to decrypt: crypto/rsa: decryption error');
  return em.subarray(sep + 1).toString('utf8');
}
