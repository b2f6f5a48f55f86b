'use strict';
// Shows the receiver's verification is right: Ping++'s own published events verify with
// their public keys (vectors/README.md names the sources), and only with them; a body or
// signature changed by one byte fails. Exit 0 only if every check holds.
const fs = require('fs');
const path = require('path');
const { verifySignature, publicKey } = require('./verify');

const dir = path.join(__dirname, 'vectors');
const vectors = [
  { name: '1-charge-succeeded-live', key: '1-pingpp_rsa_public_key.pem', bytes: 859 },
  { name: '2-account-summary-available', key: '2-pingpp_public_key.pem', bytes: 460 },
  { name: '3-charge-succeeded-test-2024', key: '3-pingpp_public_key.pem', bytes: 975 },
];

let failures = 0;
function check(what, ok) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) failures++;
}

const keys = vectors.map((v) => publicKey(fs.readFileSync(path.join(dir, v.key), 'utf8')));
for (const [i, v] of vectors.entries()) {
  const body = fs.readFileSync(path.join(dir, v.name + '.json'));
  const signature = fs.readFileSync(path.join(dir, v.name + '.sig'), 'utf8');
  check(`${v.name}: ${body.length} bytes as published (${v.bytes})`, body.length === v.bytes);
  check(`${v.name}: verifies with its key`, verifySignature(body, signature, keys[i]));
  for (const [j, other] of vectors.entries()) {
    if (j === i) continue;
    check(`${v.name}: refused with ${other.key}`, !verifySignature(body, signature, keys[j]));
  }
  // One byte of the body changed: the amount's first digit, or else the middle byte.
  const tampered = Buffer.from(body);
  const amount = body.indexOf('"amount":');
  const at = amount >= 0 ? amount + '"amount":'.length : Math.floor(body.length / 2);
  tampered[at] = tampered[at] === 0x39 ? 0x38 : tampered[at] + 1;
  check(`${v.name}: refused with one body byte changed`,
        !verifySignature(tampered, signature, keys[i]));
  check(`${v.name}: refused with a byte appended`,
        !verifySignature(Buffer.concat([body, Buffer.from('\n')]), signature, keys[i]));
  const sigBytes = Buffer.from(signature, 'base64');
  sigBytes[10] ^= 0x01;
  check(`${v.name}: refused with one signature bit flipped`,
        !verifySignature(body, sigBytes.toString('base64'), keys[i]));
  check(`${v.name}: refused with the signature empty`, !verifySignature(body, '', keys[i]));
}
console.log(failures === 0 ? 'selfcheck passed' : `selfcheck FAILED (${failures})`);
process.exit(failures === 0 ? 0 : 1);
