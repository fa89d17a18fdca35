#!/usr/bin/env node
// The Signal session benchmarks of bench/SecureComms.Bench/SignalSessionBench.cs, on
// @signalapp/libsignal-client@0.72.1 (Rust libsignal through its Node binding), in process, with in-memory
// stores that keep records serialized (as SecureComms' InMemorySignalProtocolStore does). scripts/bench runs
// it after BenchmarkDotNet and prints ours / libsignal; see bench/README.md.
//
// Workloads (100-byte plaintexts; every message serialized by the sender and parsed by the receiver):
//   SessionSetup  Alice processes Bob's bundle, encrypts the first message (PreKeySignalMessage), Bob decrypts
//                 it. Fresh parties for every operation, made before the clock starts (as [IterationSetup]).
//   PingPong      established session: Alice → Bob, Bob → Alice (2 encrypt, 2 decrypt, 2 DH ratchet steps).
//   OneWay        established session: Alice → Bob on the same chain (no DH ratchet step).
//
// Timing follows BenchmarkDotNet's short job as scripts/bench runs it: a pilot picks the operations per
// iteration (about --iteration-ms each; SessionSetup uses a fixed --sessions-per-iteration, as the C# side),
// --warmup iterations are discarded, --iterations are measured; the figure is the median time per operation.
//
// Output: one JSON line per workload on stdout, e.g.
//   {"workload":"PingPong","opsPerSecond":1234.5,"medianMicroseconds":810.0,"meanMicroseconds":812.3,...}
// Progress goes to stderr.
//
// Usage: node [--expose-gc] interop/signal/bench.mjs [--warmup N] [--iterations N] [--iteration-ms MS]
//             [--sessions-per-iteration N] [--workloads SessionSetup,PingPong,OneWay]
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import * as SignalClient from '@signalapp/libsignal-client';
import {
  MemSessionStore, MemIdentityStore, MemPreKeyStore, MemSignedPreKeyStore, MemKyberPreKeyStore,
} from './libsignal-stores.mjs';

const {
  IdentityKeyPair, PrivateKey, ProtocolAddress, PreKeyBundle, PreKeyRecord, SignedPreKeyRecord,
  PreKeySignalMessage, SignalMessage, CiphertextMessageType, processPreKeyBundle, signalEncrypt,
  signalDecrypt, signalDecryptPreKey,
} = SignalClient;

const PLAINTEXT_SIZE = 100; // SignalBenchParty.PlaintextSizeInBytes
const MAX_RECEIVER_CHAINS = 5; // libsignal consts.rs; the C# side drives the session past it before measuring

const { values: options } = parseArgs({
  options: {
    warmup: { type: 'string', default: '3' },
    iterations: { type: 'string', default: '5' },
    'iteration-ms': { type: 'string', default: '500' },
    'sessions-per-iteration': { type: 'string', default: '256' }, // SignalSessionSetupBench.SessionsPerIteration
    workloads: { type: 'string', default: 'SessionSetup,PingPong,OneWay' },
  },
});
const positive = (name) => {
  const v = Number(options[name]);
  const min = name === 'warmup' ? 0 : 1;
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer of at least ${min}`);
  return v;
};
const warmup = positive('warmup');
const iterations = positive('iterations');
const iterationMs = positive('iteration-ms');
const sessionsPerIteration = positive('sessions-per-iteration');

// ---- parties ----

const randomRegistrationId = () => 1 + Math.floor(Math.random() * 16379);

function party(name) {
  const identity = IdentityKeyPair.generate();
  return {
    address: ProtocolAddress.new(name, 1),
    identity,
    sessions: new MemSessionStore(),
    identities: new MemIdentityStore(identity, randomRegistrationId()),
    preKeys: new MemPreKeyStore(),
    signedPreKeys: new MemSignedPreKeyStore(),
    kyberPreKeys: new MemKyberPreKeyStore(),
  };
}

/** Stores a fresh signed prekey and one-time prekey in p and returns the bundle that publishes them. */
async function publishBundle(p) {
  const signedPreKeyId = 1;
  const preKeyId = 1;
  const signedPrivate = PrivateKey.generate();
  const signedPublic = signedPrivate.getPublicKey();
  const signature = p.identity.privateKey.sign(signedPublic.serialize());
  await p.signedPreKeys.saveSignedPreKey(signedPreKeyId,
    SignedPreKeyRecord.new(signedPreKeyId, Date.now(), signedPublic, signedPrivate, signature));
  const preKeyPrivate = PrivateKey.generate();
  await p.preKeys.savePreKey(preKeyId, PreKeyRecord.new(preKeyId, preKeyPrivate.getPublicKey(), preKeyPrivate));
  return PreKeyBundle.new(await p.identities.getLocalRegistrationId(), p.address.deviceId(), preKeyId,
    preKeyPrivate.getPublicKey(), signedPreKeyId, signedPublic, signature, p.identity.publicKey, null, null, null);
}

const message = randomBytes(PLAINTEXT_SIZE);

/** from encrypts `message` to `to`; the wire bytes and type, as a transport would carry them. */
async function send(from, to) {
  const m = await signalEncrypt(message, to.address, from.sessions, from.identities);
  return { type: m.type(), body: m.serialize() };
}

/** to parses and decrypts a message from `from`. */
async function receive(to, from, { type, body }) {
  if (type === CiphertextMessageType.PreKey) {
    return signalDecryptPreKey(PreKeySignalMessage.deserialize(body), from.address, to.sessions, to.identities,
      to.preKeys, to.signedPreKeys, to.kyberPreKeys);
  }
  return signalDecrypt(SignalMessage.deserialize(body), from.address, to.sessions, to.identities);
}

// ---- workloads: each has prepare(opsInIteration) (not timed) and op() (timed) ----

function sessionSetupWorkload() {
  let pairs = [];
  let next = 0;
  return {
    fixedOps: sessionsPerIteration,
    async prepare(count) {
      pairs = [];
      for (let i = 0; i < count; i++) {
        const alice = party('alice');
        const bob = party('bob');
        pairs.push({ alice, bob, bundle: await publishBundle(bob) });
      }
      next = 0;
    },
    async op() {
      const { alice, bob, bundle } = pairs[next++];
      await processPreKeyBundle(bundle, bob.address, alice.sessions, alice.identities);
      return receive(bob, alice, await send(alice, bob));
    },
    async check() {
      await this.prepare(1);
      const { bob, alice } = pairs[0];
      const first = await send(alice, bob).catch(() => null); // no session yet: must fail
      if (first !== null) throw new Error('SessionSetup: encrypt without a session succeeded');
      await processPreKeyBundle(pairs[0].bundle, bob.address, alice.sessions, alice.identities);
      const wire = await send(alice, bob);
      const opened = await receive(bob, alice, wire);
      if (wire.type !== CiphertextMessageType.PreKey || !opened.equals(message) || bob.preKeys.map.size !== 0) {
        throw new Error('SessionSetup: check failed');
      }
    },
  };
}

async function establishedPair() {
  const alice = party('alice');
  const bob = party('bob');
  await processPreKeyBundle(await publishBundle(bob), bob.address, alice.sessions, alice.identities);
  await receive(bob, alice, await send(alice, bob));
  for (let i = 0; i < 2 * MAX_RECEIVER_CHAINS; i++) {
    await receive(bob, alice, await send(alice, bob));
    await receive(alice, bob, await send(bob, alice));
  }
  const wire = await send(alice, bob);
  if (wire.type !== CiphertextMessageType.Whisper || !(await receive(bob, alice, wire)).equals(message)) {
    throw new Error('established session: check failed');
  }
  return { alice, bob };
}

function pingPongWorkload() {
  let pair;
  return {
    async prepare() { pair ??= await establishedPair(); },
    async op() {
      const { alice, bob } = pair;
      await receive(bob, alice, await send(alice, bob));
      return receive(alice, bob, await send(bob, alice));
    },
    async check() {
      await this.prepare();
      if (!(await this.op()).equals(message)) throw new Error('PingPong: check failed');
    },
  };
}

function oneWayWorkload() {
  let pair;
  return {
    async prepare() { pair ??= await establishedPair(); },
    async op() {
      const { alice, bob } = pair;
      return receive(bob, alice, await send(alice, bob));
    },
    async check() {
      await this.prepare();
      if (!(await this.op()).equals(message)) throw new Error('OneWay: check failed');
    },
  };
}

const workloads = { SessionSetup: sessionSetupWorkload, PingPong: pingPongWorkload, OneWay: oneWayWorkload };

// ---- the timing loop ----

/** Runs ops operations after an untimed prepare; nanoseconds per operation. */
async function iteration(w, ops) {
  globalThis.gc?.(); // between iterations, as BenchmarkDotNet collects between its iterations
  await w.prepare(ops);
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await w.op();
  return Number(process.hrtime.bigint() - start) / ops;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function run(name) {
  const w = workloads[name]();
  await w.check();
  let ops = w.fixedOps;
  if (ops === undefined) {
    // Pilot: double until one iteration takes a tenth of the target, then scale to the target.
    let n = 1;
    for (;;) {
      const perOp = await iteration(w, n);
      process.stderr.write(`${name} pilot: ${n} op, ${(perOp / 1e3).toFixed(2)} us/op\n`);
      if (perOp * n >= iterationMs * 1e5 || n >= 1 << 24) {
        ops = Math.max(1, Math.round((iterationMs * 1e6) / perOp));
        break;
      }
      n *= 2;
    }
  }
  for (let i = 0; i < warmup; i++) {
    const perOp = await iteration(w, ops);
    process.stderr.write(`${name} warmup ${i + 1}: ${ops} op, ${(perOp / 1e3).toFixed(2)} us/op\n`);
  }
  const measured = [];
  for (let i = 0; i < iterations; i++) {
    const perOp = await iteration(w, ops);
    measured.push(perOp);
    process.stderr.write(`${name} workload ${i + 1}: ${ops} op, ${(perOp / 1e3).toFixed(2)} us/op\n`);
  }
  const med = median(measured);
  const mean = measured.reduce((a, b) => a + b, 0) / measured.length;
  return {
    workload: name,
    opsPerSecond: 1e9 / med,
    medianMicroseconds: med / 1e3,
    meanMicroseconds: mean / 1e3,
    minMicroseconds: Math.min(...measured) / 1e3,
    maxMicroseconds: Math.max(...measured) / 1e3,
    opsPerIteration: ops,
    iterations,
    warmup,
    library: '@signalapp/libsignal-client',
    version: libraryVersion,
    node: process.version,
  };
}

const libraryVersion = JSON.parse(readFileSync(
  new URL('./node_modules/@signalapp/libsignal-client/package.json', import.meta.url), 'utf8')).version;

const chosen = options.workloads.split(',').map((s) => s.trim()).filter(Boolean);
for (const name of chosen) {
  if (!Object.hasOwn(workloads, name)) throw new Error(`unknown workload ${name}; known: ${Object.keys(workloads)}`);
}
for (const name of chosen) {
  process.stdout.write(JSON.stringify(await run(name)) + '\n');
}
