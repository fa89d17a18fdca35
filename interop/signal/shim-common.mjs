// Shared plumbing for the JSON-lines Signal shims (protocol: docs/shim.md).
// Reads one JSON request per line from stdin, hands it to the shim's op table, writes one JSON reply per
// line to stdout, strictly in request order (the libraries are async: lines are queued and handled one at
// a time). Nothing but reply lines goes to stdout; diagnostics go to stderr.
import { createInterface } from 'node:readline';

// stdout carries reply lines only: anything a library prints goes to stderr instead.
console.log = console.info = console.debug = (...args) => console.error(...args);

/** A failure with one of docs/shim.md's error reasons. */
export class ShimError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

export const malformed = (message) => new ShimError('MalformedRequest', message);

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Field readers: each throws MalformedRequest when the field is missing or mistyped. */
export function str(req, name) {
  const v = req[name];
  if (typeof v !== 'string') throw malformed(`field "${name}" must be a string`);
  return v;
}

export function uint(req, name, max = 0xffffffff) {
  const v = req[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw malformed(`field "${name}" must be an integer in 0..${max}`);
  }
  return v;
}

export function bool(req, name) {
  const v = req[name];
  if (typeof v !== 'boolean') throw malformed(`field "${name}" must be a boolean`);
  return v;
}

export function obj(req, name) {
  const v = req[name];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw malformed(`field "${name}" must be an object`);
  return v;
}

/** Standard base64 with padding, decoded to a Buffer. */
export function bytes(req, name) {
  const v = req[name];
  if (typeof v !== 'string' || !B64.test(v)) throw malformed(`field "${name}" must be standard padded base64`);
  return Buffer.from(v, 'base64');
}

/** A libsignal-serialized public key: 33 bytes, type byte 0x05. Wrong shape → InvalidKey. */
export function publicKey(req, name) {
  const b = bytes(req, name);
  if (b.length !== 33 || b[0] !== 0x05) {
    throw new ShimError('InvalidKey', `field "${name}" is ${b.length} bytes, type byte 0x${(b[0] ?? 0).toString(16)}; want 33 bytes starting 0x05`);
  }
  return b;
}

export const b64 = (buf) => Buffer.from(buf).toString('base64');

/** A fresh ArrayBuffer holding exactly these bytes (Node Buffers may share a pooled ArrayBuffer). */
export const toArrayBuffer = (buf) => new Uint8Array(buf).buffer;

/** Version-byte refusal from the high nibble: below 3 is legacy, otherwise unknown. */
export function versionReason(body) {
  const v = body.length > 0 ? body[0] : 0;
  return v >> 4 < 3 ? 'LegacyVersion' : 'UnknownVersion';
}

/**
 * Runs the shim. ops: { opName: async (request) => replyFields }. mapError(err, request) turns a library
 * exception into a ShimError (ShimErrors pass through untouched).
 */
export function runShim(ops, mapError) {
  const write = (reply) => process.stdout.write(JSON.stringify(reply) + '\n');

  async function handle(line) {
    let req;
    try {
      req = JSON.parse(line);
    } catch (e) {
      write({ ok: false, error: 'MalformedRequest', message: `not JSON: ${e.message}` });
      return;
    }
    if (req === null || typeof req !== 'object' || Array.isArray(req)) {
      write({ ok: false, error: 'MalformedRequest', message: 'the request must be a JSON object' });
      return;
    }
    const head = 'id' in req ? { id: req.id } : {};
    if (typeof req.op !== 'string') {
      write({ ...head, ok: false, error: 'MalformedRequest', message: 'field "op" must be a string' });
      return;
    }
    const fn = Object.prototype.hasOwnProperty.call(ops, req.op) ? ops[req.op] : undefined;
    if (!fn) {
      write({ ...head, ok: false, error: 'UnknownOp', message: `unknown op "${req.op}"` });
      return;
    }
    try {
      const fields = (await fn(req)) ?? {};
      write({ ...head, ok: true, ...fields });
    } catch (e) {
      let se = e instanceof ShimError ? e : undefined;
      if (!se) {
        try {
          se = mapError(e, req);
        } catch (inner) {
          se = new ShimError('InvalidMessage', String(inner?.message ?? inner));
        }
      }
      write({ ...head, ok: false, error: se.reason, message: se.message || String(e?.message ?? e) });
    }
  }

  let chain = Promise.resolve();
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  rl.on('line', (line) => {
    chain = chain.then(() => handle(line)).catch((e) => process.stderr.write(`shim: internal error: ${e?.stack ?? e}\n`));
  });
  rl.on('close', () => {
    chain.then(() => {
      process.exitCode = 0;
    });
  });
}

/** Every op but init needs a party; before init they fail this way. */
export function needParty(party) {
  if (!party) throw malformed('no party yet: send "init" first');
  return party;
}
