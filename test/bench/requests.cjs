'use strict';
/**
 * What the requests of one bench route carry beyond method and path (test/bench/api.bench.ts).
 * autocannon runs in a worker thread of its own, so that the load generator does not share the
 * server's event loop, and a worker takes its `setupRequest` as a module to require: this one.
 * The route and its parameters come in the options autocannon hands the worker (`bench`).
 */
const { workerData } = require('node:worker_threads');

/**
 * Request number `i` of the route `bench.kind`: similar questions with a different text each time
 * (as a learner types), a vote set and taken back in turn, a new question with a distinct text
 * (the same text twice in a row by one person is refused as a repeat). Requests are dealt
 * round-robin across the guests' session tokens: one person alone is rate limited in production.
 */
function nth(bench, i) {
  const signedIn = () => ({ 'content-type': 'application/json', authorization: `Bearer ${bench.tokens[i % bench.tokens.length]}` });
  switch (bench.kind) {
    case 'similar':
      return { path: `${bench.path}&q=${encodeURIComponent(bench.queries[i % bench.queries.length])}` };
    case 'vote':
      return { headers: signedIn(), body: JSON.stringify({ value: Math.floor(i / bench.tokens.length) % 2 }) };
    case 'ask':
      return { headers: signedIn(), body: JSON.stringify({ topic: bench.topic, title: `Benchmark question number ${i}?`, body: `Asked under load, request ${i}.` }) };
    default:
      throw new Error(`no such bench route: ${bench.kind}`);
  }
}

let sent = 0;
module.exports = (req) => {
  const bench = workerData.opts.bench;
  const next = nth(bench, bench.start + sent++);
  return { ...req, ...next, headers: { ...req.headers, ...next.headers } };
};
module.exports.nth = nth;
