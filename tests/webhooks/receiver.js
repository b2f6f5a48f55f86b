'use strict';
// A webhook receiver outside payhostd, for tests: verifies X-Pingplusplus-Signature with
// code of its own (verify.js), records every request, and misbehaves on demand.
//
//   node receiver.js [--public-key FILE] [--port N] [--log FILE]
//
// Prints "listening on PORT" once it accepts connections. Any POST other than the
// control routes below is a webhook: the receiver answers 200 if the signature verifies
// and 400 if it does not, unless told otherwise:
//   POST /_control {"fail": N, "fail_status": 500, "hold": N, "delay_ms": M, "public_key": PEM}
//        the next N webhooks are answered fail_status; the next N after those are held
//        without an answer until the sender gives up or dies; every answer waits M ms;
//        public_key replaces the key signatures are verified with (none: nothing verifies).
//   GET  /_records  every webhook so far, oldest first (also appended to --log as JSON lines)
// A record: seq, path, event_id, type, verified, signature, content_type, body (text),
// body_sha256, received_ms, answered_ms, status (null while held or never answered),
// closed_unanswered, overlapped (another request for the same event was in flight when
// this one arrived: the sender sent one event twice at once).
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const { verifySignature, publicKey } = require('./verify');

const MAX_BODY_BYTES = 1 << 20;

function parseArgs(argv) {
  const args = { port: 0, publicKey: null, log: null };
  for (let i = 2; i < argv.length; i++) {
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
      return argv[++i];
    };
    if (argv[i] === '--port') args.port = Number(next());
    else if (argv[i] === '--public-key') args.publicKey = next();
    else if (argv[i] === '--log') args.log = next();
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    throw new Error('--port must be 0..65535');
  }
  return args;
}

const args = parseArgs(process.argv);
let key = args.publicKey ? publicKey(fs.readFileSync(args.publicKey, 'utf8')) : null;
const behaviour = { fail: 0, fail_status: 500, hold: 0, delay_ms: 0 };
const records = [];
const inFlight = new Map();  // event id -> requests being handled
const held = new Set();      // responses never to be written

function persist(record) {
  if (args.log) fs.appendFileSync(args.log, JSON.stringify(record) + '\n');
}

function readBody(req, done) {
  const chunks = [];
  let size = 0;
  let tooBig = false;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooBig = true;
    else chunks.push(chunk);
  });
  req.on('end', () => done(tooBig ? null : Buffer.concat(chunks)));
}

function answerJson(res, status, value) {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function control(req, res, body) {
  let asked;
  try {
    asked = JSON.parse(body.toString('utf8'));
  } catch (e) {
    return answerJson(res, 400, { error: 'not JSON' });
  }
  if (asked.public_key !== undefined) {
    try {
      key = publicKey(String(asked.public_key));
    } catch (e) {
      return answerJson(res, 400, { error: 'public_key is not a PEM public key' });
    }
  }
  for (const name of Object.keys(behaviour)) {
    if (asked[name] !== undefined) {
      if (!Number.isInteger(asked[name]) || asked[name] < 0) {
        return answerJson(res, 400, { error: `${name} must be a whole number` });
      }
      behaviour[name] = asked[name];
    }
  }
  return answerJson(res, 200, behaviour);
}

function webhook(req, res, body) {
  const signature = req.headers['x-pingplusplus-signature'];
  const record = {
    seq: records.length + 1,
    path: req.url,
    event_id: null,
    type: null,
    verified: key !== null &&
              verifySignature(body, typeof signature === 'string' ? signature : '', key),
    signature: typeof signature === 'string' ? signature : null,
    content_type: req.headers['content-type'] || null,
    body: body.toString('utf8'),
    body_sha256: crypto.createHash('sha256').update(body).digest('hex'),
    received_ms: Date.now(),
    answered_ms: null,
    status: null,
    closed_unanswered: false,
    overlapped: false,
  };
  try {
    const event = JSON.parse(record.body);
    record.event_id = typeof event.id === 'string' ? event.id : null;
    record.type = typeof event.type === 'string' ? event.type : null;
  } catch (e) {
    // recorded as received; event_id stays null
  }
  records.push(record);
  const eventKey = record.event_id || `#${record.seq}`;
  const before = inFlight.get(eventKey) || 0;
  if (before > 0) {
    record.overlapped = true;
    for (const r of records) {
      if (r.event_id === record.event_id && r.answered_ms === null && !r.closed_unanswered) {
        r.overlapped = true;
      }
    }
  }
  inFlight.set(eventKey, before + 1);
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    inFlight.set(eventKey, inFlight.get(eventKey) - 1);
  };
  res.on('finish', finish);
  res.on('close', () => {
    if (record.answered_ms === null) {
      record.closed_unanswered = true;
      persist(record);
    }
    finish();
  });

  let status = record.verified ? 200 : 400;
  if (behaviour.fail > 0) {
    behaviour.fail--;
    status = behaviour.fail_status;
  } else if (behaviour.hold > 0) {
    behaviour.hold--;
    held.add(res);
    return;  // never answered: the sender times out, or dies holding it
  }
  const answer = () => {
    if (res.destroyed) return;
    record.status = status;
    record.answered_ms = Date.now();
    persist(record);
    answerJson(res, status, { received: record.event_id, verified: record.verified });
  };
  // setTimeout(f, 0) would still wait a timer tick (1 ms): a bound on the rate it takes.
  if (behaviour.delay_ms > 0) setTimeout(answer, behaviour.delay_ms);
  else answer();
}

const server = http.createServer((req, res) => {
  readBody(req, (body) => {
    if (body === null) return answerJson(res, 413, { error: 'body too large' });
    if (req.method === 'GET' && req.url === '/_records') return answerJson(res, 200, records);
    if (req.method === 'POST' && req.url === '/_control') return control(req, res, body);
    if (req.method !== 'POST') return answerJson(res, 405, { error: 'POST only' });
    return webhook(req, res, body);
  });
});
server.requestTimeout = 0;  // a held request stays held until the sender lets go
server.listen(args.port, '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const res of held) res.destroy();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  });
}
