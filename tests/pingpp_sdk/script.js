// Drives payhost's /v1 API with Ping++'s own server SDK for Node (npm `pingpp`), the way a
// merchant's server does after changing only the host. Started by
// tests/host/api/pingpp_api_test.cpp against a real payhostd with the test channel (testpay).
//
//   node script.js flow    create, retrieve, list both ways, reverse, pay (a signed test
//                          channel notification), refunds, error cases
//   node script.js event   events.retrieve of PAYHOST_EVENT_ID (its charge PAYHOST_EVENT_CHARGE)
//
// Environment: PAYHOST_PORT, PAYHOST_KEY, PAYHOST_APP; optional PAYHOST_OTHER_MODE_KEY (a key
// of the mode the host does not run), PAYHOST_SIGN=1 (sign requests with the key pair in
// pingpp's example/, which the host's app is configured with), PAYHOST_FOREIGN_CHARGE (a
// charge of another app). Prints one JSON line {"ok":true,...} and exits 0, or the failure
// and exits 1. Node 18 syntax.
'use strict';

const crypto = require('crypto');
const http = require('http');
const path = require('path');

const port = Number(process.env.PAYHOST_PORT);
const key = process.env.PAYHOST_KEY;
const app = process.env.PAYHOST_APP;
const sign = process.env.PAYHOST_SIGN === '1';
const privateKeyPath = path.join(path.dirname(require.resolve('pingpp/package.json')),
                                 'example', 'your_rsa_private_key.pem');

let checks = 0;
function check(condition, what) {
  if (!condition) throw new Error('check failed: ' + what);
  checks += 1;
}
function eq(actual, expected, what) {
  check(JSON.stringify(actual) === JSON.stringify(expected),
        what + ': expected ' + JSON.stringify(expected) + ', got ' + JSON.stringify(actual));
}

function client(apiKey, signed) {
  const p = require('pingpp')(apiKey);
  p.setHost('127.0.0.1', port, 'http');
  p.setTimeout(20000);
  if (signed) p.setPrivateKeyPath(privateKeyPath);
  return p;
}

// The promise's rejection, or a failed check if it resolved.
async function refusal(promise, what) {
  try {
    const value = await promise;
    throw new Error('expected an error for ' + what + ', got ' + JSON.stringify(value));
  } catch (e) {
    if (e.message && e.message.startsWith('expected an error')) throw e;
    return e;
  }
}

// The test channel's provider notification (tests/testplugins/README.md), signed with its
// default secret: marks the charge paid at payhost.
function pay(charge) {
  const fields = [charge.order_no, String(charge.amount), 'test-merchant', 'paid',
                  'T' + charge.id.slice(3)];
  const signature = crypto.createHmac('sha256', 'testchannel-secret')
                        .update(fields.join('|')).digest('hex');
  const body = JSON.stringify({order_no: fields[0], amount: charge.amount, app_id: fields[2],
                               status: 'paid', transaction_no: fields[4], signature: signature});
  return new Promise((resolve, reject) => {
    const req = http.request({host: '127.0.0.1', port: port, path: '/notify/testchannel',
                              method: 'POST', agent: false,
                              headers: {'Content-Type': 'application/json',
                                        'Content-Length': Buffer.byteLength(body)}},
                             (res) => {
                               res.resume();
                               res.on('end', () => res.statusCode === 200
                                                       ? resolve()
                                                       : reject(new Error('notify: ' +
                                                                          res.statusCode)));
                             });
    req.on('error', reject);
    req.end(body);
  });
}

function newCharge(pingpp, n) {
  return pingpp.charges.create({
    app: {id: app},
    channel: 'testpay',
    amount: 100 + n,
    order_no: 'sdk' + Date.now().toString(36) + crypto.randomBytes(4).toString('hex') + n,
    currency: 'cny',
    subject: 'SDK test ' + n,
    body: 'Ping++ Node SDK against payhost',
    client_ip: '127.0.0.1',
    metadata: {n: String(n)},
    description: 'charge ' + n,
  });
}

async function flow() {
  const pingpp = client(key, sign);

  // create
  const created = [];
  for (let n = 1; n <= 3; n += 1) created.push(await newCharge(pingpp, n));
  for (let n = 0; n < 3; n += 1) {
    const c = created[n];
    check(/^ch_[0-9A-Za-z]{24}$/.test(c.id), 'charge id ' + c.id);
    eq(c.object, 'charge', 'object');
    eq(c.livemode, false, 'livemode');
    eq(c.paid, false, 'paid');
    eq(c.app, app, 'app');
    eq(c.amount, 101 + n, 'amount');
    eq(c.metadata, {n: String(n + 1)}, 'metadata');
    eq(Object.keys(c).slice(0, 8),
       ['id', 'object', 'created', 'livemode', 'paid', 'refunded', 'reversed', 'app'],
       'field order');
    check(c.credential && c.credential.object === 'credential' && c.credential.testpay,
          'credential');
  }
  const [c1, c2, c3] = created;

  // retrieve (Node sends GET /v1/charges/<id>? with a bare "?")
  const got = await pingpp.charges.retrieve(c1.id);
  eq(got.id, c1.id, 'retrieve id');
  eq(got.order_no, c1.order_no, 'retrieve order_no');
  eq(got.refunds.url, '/v1/charges/' + c1.id + '/refunds', 'refunds url');

  // list, newest first, both ways
  const page1 = await pingpp.charges.list({app: {id: app}, limit: 2});
  eq(page1.object, 'list', 'list object');
  eq(page1.url, '/v1/charges', 'list url');
  eq(page1.data.map((c) => c.id), [c3.id, c2.id], 'first page');
  eq(page1.has_more, true, 'first page has_more');
  const page2 = await pingpp.charges.list({app: {id: app}, limit: 2, starting_after: c2.id});
  eq(page2.data[0].id, c1.id, 'next page starts after c2');
  const back = await pingpp.charges.list({app: {id: app}, limit: 2, ending_before: c1.id});
  eq(back.data.map((c) => c.id), [c3.id, c2.id], 'previous page');
  eq(back.has_more, false, 'previous page has_more');
  const filtered = await pingpp.charges.list({app: {id: app}, limit: 100, channel: 'testpay',
                                              created: {gte: c1.created}});
  check(filtered.data.some((c) => c.id === c1.id), 'created[gte] filter keeps c1');

  // reverse an unpaid charge
  const reversed = await pingpp.charges.reverse(c3.id);
  eq(reversed.id, c3.id, 'reverse id');
  eq(reversed.reversed, true, 'reversed');
  eq(reversed.paid, false, 'reversed unpaid');
  const onlyReversed = await pingpp.charges.list({app: {id: app}, reversed: 'true', limit: 100});
  check(onlyReversed.data.some((c) => c.id === c3.id) &&
            onlyReversed.data.every((c) => c.reversed === true),
        'reversed filter');

  // pay c1, then it cannot be reversed and can be refunded
  await pay(c1);
  const paid = await pingpp.charges.retrieve(c1.id);
  eq(paid.paid, true, 'paid after notification');
  const notReversible = await refusal(pingpp.charges.reverse(c1.id), 'reverse of a paid charge');
  eq(notReversible.type, 'PingppInvalidRequest', 'reverse paid error type');

  const r1 = await pingpp.charges.createRefund(c1.id, {amount: 30, description: 'partial'});
  check(/^re_[0-9A-Za-z]{24}$/.test(r1.id), 'refund id ' + r1.id);
  eq(r1.object, 'refund', 'refund object');
  eq(r1.amount, 30, 'refund amount');
  eq(r1.charge, c1.id, 'refund charge');
  eq(r1.status, 'succeeded', 'refund status');
  const r2 = await pingpp.charges.createRefund(c1.id, {description: 'the rest'});
  eq(r2.amount, c1.amount - 30, 'refund of the rest');
  const over = await refusal(pingpp.charges.createRefund(c1.id, {description: 'too much'}),
                             'refund of a fully refunded charge');
  eq(over.type, 'PingppInvalidRequest', 'over-refund error type');

  const refunds = await pingpp.charges.listRefunds(c1.id, {limit: 1});
  eq(refunds.object, 'list', 'refund list object');
  eq(refunds.data.map((r) => r.id), [r2.id], 'refund list newest first');
  eq(refunds.has_more, true, 'refund list has_more');
  const olderRefunds = await pingpp.charges.listRefunds(c1.id, {limit: 1, starting_after: r2.id});
  eq(olderRefunds.data.map((r) => r.id), [r1.id], 'refund list next page');
  const gotRefund = await pingpp.charges.retrieveRefund(c1.id, r1.id);
  eq(gotRefund.id, r1.id, 'retrieve refund');
  eq(gotRefund.description, 'partial', 'refund description');
  const refunded = await pingpp.charges.retrieve(c1.id);
  eq(refunded.refunded, true, 'charge refunded');
  eq(refunded.amount_refunded, c1.amount, 'amount_refunded');
  eq(refunded.refunds.data.map((r) => r.id), [r2.id, r1.id], 'embedded refunds');

  // errors
  const badKey = await refusal(
      client('sk_test_' + 'x'.repeat(24), false).charges.retrieve(c1.id), 'a bad key');
  eq(badKey.type, 'PingppAuthenticationError', 'bad key error type');
  check(!badKey.message.includes('x'.repeat(24)), 'bad key message hides the key');
  const missing = await refusal(pingpp.charges.retrieve('ch_' + '0'.repeat(24)), 'a missing charge');
  eq(missing.type, 'PingppInvalidRequest', 'missing charge error type');
  eq(missing.param, 'id', 'missing charge param');
  const missingRefund = await refusal(pingpp.charges.retrieveRefund(c1.id, 're_' + '0'.repeat(24)),
                                      'a missing refund');
  eq(missingRefund.type, 'PingppInvalidRequest', 'missing refund error type');
  const wrongApp = await refusal(pingpp.charges.list({app: {id: 'app_0000000000000000'}}),
                                 'another app\'s list');
  eq(wrongApp.type, 'PingppInvalidRequest', 'wrong app error type');
  eq(wrongApp.param, 'app[id]', 'wrong app param');
  const noApp = await refusal(pingpp.charges.list({limit: 1}), 'a list without app[id]');
  eq(noApp.type, 'PingppInvalidRequest', 'list without app error type');
  const badAmount = await refusal(pingpp.charges.create({app: {id: app}, channel: 'testpay',
                                                         amount: 1.5, order_no: 'x1',
                                                         currency: 'cny', subject: 's', body: 'b',
                                                         client_ip: '127.0.0.1'}),
                                  'a fractional amount');
  eq(badAmount.param, 'amount', 'fractional amount param');
  const used = await refusal(pingpp.charges.create({app: {id: app}, channel: 'testpay',
                                                    amount: 1, order_no: c1.order_no,
                                                    currency: 'cny', subject: 's', body: 'b',
                                                    client_ip: '127.0.0.1'}),
                             'a used order_no');
  eq(used.code, 'order_no_used', 'used order_no code');
  if (process.env.PAYHOST_OTHER_MODE_KEY) {
    const otherMode = await refusal(
        client(process.env.PAYHOST_OTHER_MODE_KEY, sign).charges.retrieve(c1.id),
        'a key of the other mode');
    eq(otherMode.type, 'PingppAuthenticationError', 'other mode error type');
  }
  if (process.env.PAYHOST_FOREIGN_CHARGE) {
    const foreign = await refusal(pingpp.charges.retrieve(process.env.PAYHOST_FOREIGN_CHARGE),
                                  'another app\'s charge');
    eq(foreign.type, 'PingppInvalidRequest', 'foreign charge is a plain 404');
  }
  if (sign) {
    const unsigned = await refusal(client(key, false).charges.retrieve(c1.id),
                                   'an unsigned request');
    eq(unsigned.type, 'PingppAuthenticationError', 'unsigned request error type');
  }
  return {paid_charge: c1.id, charges: [c1.id, c2.id, c3.id]};
}

async function event() {
  const pingpp = client(key, sign);
  const evt = await pingpp.events.retrieve(process.env.PAYHOST_EVENT_ID);
  eq(evt.id, process.env.PAYHOST_EVENT_ID, 'event id');
  eq(evt.object, 'event', 'event object');
  eq(evt.type, 'charge.succeeded', 'event type');
  eq(evt.data.object.id, process.env.PAYHOST_EVENT_CHARGE, 'event charge');
  eq(evt.data.object.paid, true, 'event charge paid');
  const missing = await refusal(pingpp.events.retrieve('evt_' + '0'.repeat(24)), 'a missing event');
  eq(missing.type, 'PingppInvalidRequest', 'missing event error type');
  return {};
}

const phase = process.argv[2] || 'flow';
(phase === 'event' ? event() : flow())
    .then((result) => {
      console.log(JSON.stringify(Object.assign({ok: true, phase: phase, checks: checks}, result)));
    })
    .catch((e) => {
      console.log(JSON.stringify({ok: false, phase: phase, checks: checks,
                                  error: String(e && (e.stack || e.message) || e),
                                  type: e && e.type, raw: e && e.raw}));
      process.exit(1);
    });
