// SecureComms Noise interop shim over noise-c.wasm@0.4.0 (rweather/noise-c compiled to WebAssembly).
// Speaks the JSON-lines protocol of interop/noise/README.md on stdin/stdout: one request per line, one reply
// per line, the request's "id" echoed. Keys, payloads and messages travel as lowercase hex. Key material is
// test-only and never written to stderr.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const createNoise = require('noise-c.wasm');

const PROTOCOLS = new Set(['Noise_XX_25519_AESGCM_SHA256', 'Noise_IK_25519_AESGCM_SHA256']);
const EMPTY = new Uint8Array(0);

const noise = await new Promise((resolve) => createNoise(resolve));
const C = noise.constants;

const fromHex = (hex) => Uint8Array.from(Buffer.from(hex ?? '', 'hex'));
const toHex = (bytes) => Buffer.from(bytes ?? EMPTY).toString('hex');

// One party at a time: the handshake while it runs, then the two transport CipherStates.
let handshake = null;
let transport = null;
let completion = null;

function reset() {
  for (const state of [handshake, transport?.send, transport?.receive]) {
    try { state?.free(); } catch { /* already freed by noise-c.wasm after an error */ }
  }
  handshake = null;
  transport = null;
  completion = null;
}

// After a handshake message: when noise-c asks to split, record h and rs, then take the CipherStates.
function afterMessage() {
  if (handshake.GetAction() !== C.NOISE_ACTION_SPLIT) {
    return { complete: false };
  }
  const hash = handshake.GetHandshakeHash();
  const remoteStatic = handshake.GetRemotePublicKey();
  const [send, receive] = handshake.Split(); // Split frees the HandshakeState
  handshake = null;
  transport = { send, receive };
  completion = { complete: true, handshakeHash: toHex(hash), remoteStatic: toHex(remoteStatic) };
  return completion;
}

function handle(request) {
  switch (request.op) {
    case 'start': {
      if (!PROTOCOLS.has(request.protocol)) throw new Error(`unsupported protocol ${request.protocol}`);
      reset();
      const role = request.role === 'initiator' ? C.NOISE_ROLE_INITIATOR : C.NOISE_ROLE_RESPONDER;
      handshake = noise.HandshakeState(request.protocol, role);
      const prologue = fromHex(request.prologue);
      const remote = request.remoteStatic ? fromHex(request.remoteStatic) : null;
      handshake.Initialize(prologue.length ? prologue : null, fromHex(request.staticPrivate), remote, null);
      return {};
    }
    case 'write': {
      if (!handshake) throw new Error('no handshake in progress');
      const payload = fromHex(request.payload);
      const message = handshake.WriteMessage(payload.length ? payload : null);
      return { message: toHex(message), ...afterMessage() };
    }
    case 'read': {
      if (!handshake) throw new Error('no handshake in progress');
      const payload = handshake.ReadMessage(fromHex(request.message), true);
      return { payload: toHex(payload), ...afterMessage() };
    }
    case 'encrypt':
      if (!transport) throw new Error('handshake not complete');
      return { message: toHex(transport.send.EncryptWithAd(EMPTY, fromHex(request.payload))) };
    case 'decrypt':
      if (!transport) throw new Error('handshake not complete');
      return { payload: toHex(transport.receive.DecryptWithAd(EMPTY, fromHex(request.message))) };
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

const lines = createInterface({ input: process.stdin, terminal: false });
for await (const line of lines) {
  if (!line.trim()) continue;
  let request = {};
  let reply;
  try {
    request = JSON.parse(line);
    reply = { ok: true, ...handle(request) };
  } catch (e) {
    // A refused handshake message leaves noise-c's HandshakeState freed: the party must be started again.
    if (request.op === 'read' || request.op === 'write') handshake = null;
    reply = { ok: false, error: String(e?.message ?? e) };
  }
  process.stdout.write(JSON.stringify({ id: request.id, ...reply }) + '\n');
}
reset();
