'use strict';
// Verifies X-Pingplusplus-Signature: base64 RSA-SHA256 (PKCS#1 v1.5) over the raw body
// bytes, as Ping++'s receivers do. Written here, apart from payhost's signing code, so a
// mistake on one side cannot hide itself on the other.
const crypto = require('crypto');

// Standard base64 with padding, nothing else: a lenient decoder would accept altered text.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function publicKey(pem) {
  return crypto.createPublicKey({ key: pem, format: 'pem' });
}

// rawBody: Buffer (the bytes received); signature: the header's value; key: a KeyObject
// or PEM text. True only for a signature that verifies.
function verifySignature(rawBody, signature, key) {
  if (!Buffer.isBuffer(rawBody) || typeof signature !== 'string') return false;
  if (signature.length === 0 || signature.length > 4096 || !BASE64.test(signature)) return false;
  const keyObject = typeof key === 'string' ? publicKey(key) : key;
  if (keyObject.asymmetricKeyType !== 'rsa') return false;
  const bytes = Buffer.from(signature, 'base64');
  // An RSA signature is exactly as long as the modulus.
  if (bytes.length * 8 !== keyObject.asymmetricKeyDetails.modulusLength) return false;
  return crypto.verify('sha256', rawBody,
                       { key: keyObject, padding: crypto.constants.RSA_PKCS1_PADDING }, bytes);
}

module.exports = { verifySignature, publicKey };
