#!/usr/bin/env node
// One Signal party over @privacyresearch/libsignal-protocol-typescript@0.0.16 (pure JS, classic X3DH +
// Double Ratchet, message version 3), driven by the JSON-lines protocol of docs/shim.md.
// Translations: the library numbers a SignalMessage 1 (libsignal: 2) and returns ciphertext bodies as
// binary strings (one char per byte); on the wire of the shim protocol they are 2 and base64 of the bytes.
import tsLib from '@privacyresearch/libsignal-protocol-typescript';
import {
  ShimError, malformed, str, uint, bool, obj, bytes, publicKey, b64, toArrayBuffer, versionReason, runShim,
  needParty,
} from './shim-common.mjs';

const { KeyHelper, SignalProtocolAddress, SessionBuilder, SessionCipher, FingerprintGenerator } = tsLib;
// The library's public curve (XEdDSA-compatible curve25519 sign/verify from curve25519-typescript).
const { Curve } = await tsLib.default();

const TS_WHISPER = 1; // the library's SignalMessage type number
const TS_PREKEY = 3;

const buf = (ab) => Buffer.from(new Uint8Array(ab));
const sameBytes = (a, b) => buf(a).equals(buf(b));

/** The library calls isTrustedIdentity with the bare name but saveIdentity with "name.deviceId"; key by name. */
function identityName(encodedAddress) {
  const s = String(encodedAddress);
  const m = /^(.*)\.(\d+)$/.exec(s);
  return m ? m[1] : s;
}

/** In-memory StorageType with trust on first use. */
class MemStore {
  constructor(identity, registrationId) {
    this.identity = identity; // { pubKey: ArrayBuffer(33), privKey: ArrayBuffer(32) }
    this.registrationId = registrationId;
    this.identities = new Map(); // peer name → ArrayBuffer
    this.sessions = new Map();
    this.preKeys = new Map();
    this.signedPreKeys = new Map();
    this.missedSignedPreKey = false;
  }
  async getIdentityKeyPair() { return this.identity; }
  async getLocalRegistrationId() { return this.registrationId; }
  async isTrustedIdentity(identifier, identityKey, _direction) {
    const old = this.identities.get(identityName(identifier));
    return old === undefined || sameBytes(old, identityKey);
  }
  async saveIdentity(encodedAddress, publicKey, _nonblockingApproval) {
    const name = identityName(encodedAddress);
    const old = this.identities.get(name);
    this.identities.set(name, publicKey);
    return old !== undefined && !sameBytes(old, publicKey);
  }
  async loadPreKey(keyId) { return this.preKeys.get(Number(keyId)); }
  async storePreKey(keyId, keyPair) { this.preKeys.set(Number(keyId), keyPair); }
  async removePreKey(keyId) { this.preKeys.delete(Number(keyId)); }
  async storeSession(encodedAddress, record) { this.sessions.set(String(encodedAddress), record); }
  async loadSession(encodedAddress) { return this.sessions.get(String(encodedAddress)); }
  async loadSignedPreKey(keyId) {
    const kp = this.signedPreKeys.get(Number(keyId));
    if (!kp) this.missedSignedPreKey = true;
    return kp?.keyPair;
  }
  async storeSignedPreKey(keyId, keyPair) { this.signedPreKeys.set(Number(keyId), { keyPair }); }
  async removeSignedPreKey(keyId) { this.signedPreKeys.delete(Number(keyId)); }
}

let party = null;

function address(req) {
  return new SignalProtocolAddress(str(req, 'peer'), uint(req, 'deviceId'));
}

const ops = {
  async init(req) {
    const name = str(req, 'name');
    const registrationId = uint(req, 'registrationId');
    const deviceId = uint(req, 'deviceId');
    const identity = await KeyHelper.generateIdentityKeyPair();
    party = { name, registrationId, deviceId, identity, store: new MemStore(identity, registrationId) };
    return { identityKey: b64(identity.pubKey) };
  },

  async bundle(req) {
    const p = needParty(party);
    const oneTimePreKey = bool(req, 'oneTimePreKey');
    const signedPreKeyId = uint(req, 'signedPreKeyId');
    const preKeyId = oneTimePreKey ? uint(req, 'preKeyId') : undefined;
    let signed = p.store.signedPreKeys.get(signedPreKeyId);
    if (!signed) {
      const spk = await KeyHelper.generateSignedPreKey(p.identity, signedPreKeyId);
      signed = { keyPair: spk.keyPair, signature: spk.signature };
      p.store.signedPreKeys.set(signedPreKeyId, signed);
    }
    const bundle = {
      registrationId: p.registrationId,
      deviceId: p.deviceId,
      identityKey: b64(p.identity.pubKey),
      signedPreKeyId,
      signedPreKey: b64(signed.keyPair.pubKey),
      signedPreKeySignature: b64(signed.signature),
    };
    if (oneTimePreKey) {
      const pk = await KeyHelper.generatePreKey(preKeyId);
      await p.store.storePreKey(preKeyId, pk.keyPair);
      bundle.preKeyId = preKeyId;
      bundle.preKey = b64(pk.keyPair.pubKey);
    }
    return { bundle };
  },

  async process_bundle(req) {
    const p = needParty(party);
    const addr = address(req);
    const b = obj(req, 'bundle');
    const hasPreKey = b.preKey !== undefined && b.preKey !== null;
    const hasPreKeyId = b.preKeyId !== undefined && b.preKeyId !== null;
    if (hasPreKey !== hasPreKeyId) throw malformed('bundle: "preKeyId" and "preKey" go together');
    const device = {
      registrationId: uint(b, 'registrationId'),
      identityKey: toArrayBuffer(publicKey(b, 'identityKey')),
      signedPreKey: {
        keyId: uint(b, 'signedPreKeyId'),
        publicKey: toArrayBuffer(publicKey(b, 'signedPreKey')),
        signature: toArrayBuffer(bytes(b, 'signedPreKeySignature')),
      },
    };
    uint(b, 'deviceId');
    if (hasPreKey) device.preKey = { keyId: uint(b, 'preKeyId'), publicKey: toArrayBuffer(publicKey(b, 'preKey')) };
    await new SessionBuilder(p.store, addr).processPreKey(device);
    return {};
  },

  async encrypt(req) {
    const p = needParty(party);
    const addr = address(req);
    const plaintext = bytes(req, 'plaintext');
    const m = await new SessionCipher(p.store, addr).encrypt(toArrayBuffer(plaintext));
    const type = m.type === TS_WHISPER ? 2 : m.type === TS_PREKEY ? 3 : m.type;
    return { type, body: Buffer.from(m.body, 'latin1').toString('base64') };
  },

  async decrypt(req) {
    const p = needParty(party);
    const addr = address(req);
    const type = uint(req, 'type');
    const body = bytes(req, 'body');
    const cipher = new SessionCipher(p.store, addr);
    let plaintext;
    if (type === 3) plaintext = await cipher.decryptPreKeyWhisperMessage(toArrayBuffer(body), 'binary');
    else if (type === 2) plaintext = await cipher.decryptWhisperMessage(toArrayBuffer(body), 'binary');
    else throw malformed(`field "type" must be 2 (SignalMessage) or 3 (PreKeySignalMessage), got ${type}`);
    return { plaintext: b64(buf(plaintext)) };
  },

  async trust(req) {
    const p = needParty(party);
    const addr = address(req);
    await p.store.saveIdentity(addr.toString(), toArrayBuffer(publicKey(req, 'identityKey')));
    return {};
  },

  async has_session(req) {
    const p = needParty(party);
    return { exists: await new SessionCipher(p.store, address(req)).hasOpenSession() };
  },

  // The library's FingerprintGenerator yields only the displayable (60-digit) form, which it computes as
  // libsignal does (hash version 0, iterated SHA-512 over key || identifier). It has no scannable form, so
  // "scannable" is null. Identifiers are passed as binary strings of their UTF-8 bytes (the library reads
  // one byte per char), so non-ASCII names hash as UTF-8, as libsignal's do.
  async fingerprint(req) {
    const p = needParty(party);
    const localName = str(req, 'localName');
    const remoteName = str(req, 'remoteName');
    const remoteKey = publicKey(req, 'remoteIdentityKey');
    const utf8Binary = (s) => Buffer.from(s, 'utf8').toString('latin1');
    const displayable = await new FingerprintGenerator(5200).createFor(
      utf8Binary(localName), p.identity.pubKey, utf8Binary(remoteName), toArrayBuffer(remoteKey));
    return { displayable, scannable: null };
  },

  async sign(req) {
    const p = needParty(party);
    const message = bytes(req, 'message');
    return { signature: b64(buf(await Curve.async.calculateSignature(p.identity.privKey, toArrayBuffer(message)))) };
  },

  // AsyncCurve.verifySignature resolves (to false) when the signature is valid and rejects with
  // "Invalid signature" when it is not (the synchronous Curve.verifySignature returns true for INVALID).
  async verify(req) {
    const key = publicKey(req, 'publicKey');
    const message = bytes(req, 'message');
    const signature = bytes(req, 'signature');
    if (signature.length !== 64) return { valid: false };
    try {
      await Curve.async.verifySignature(toArrayBuffer(key), toArrayBuffer(message), toArrayBuffer(signature));
      return { valid: true };
    } catch (e) {
      if (/Invalid signature/.test(String(e?.message))) return { valid: false };
      throw e;
    }
  },
};

/** Library error (plain Error, distinguished by text) → docs/shim.md reason. */
function mapError(e, req) {
  const message = String(e?.message ?? e);
  const missedSigned = party?.store.missedSignedPreKey;
  if (party) party.store.missedSignedPreKey = false;
  if (/Identity key changed|Unknown identity key/.test(message)) return new ShimError('UntrustedIdentity', message);
  if (e?.name === 'MessageCounterError' || /counter was repeated/.test(message)) {
    return new ShimError('DuplicateMessage', message);
  }
  if (/messages into the future/.test(message)) return new ShimError('TooFarInFuture', message);
  if (/^No record for|No session to encrypt|No session found/.test(message)) return new ShimError('NoSession', message);
  if (/Missing Signed PreKey/.test(message) || (missedSigned && req.op === 'decrypt' && req.type === 3)) {
    return new ShimError('InvalidSignedPreKeyId', message);
  }
  if (/Incompatible version number/.test(message)) {
    const body = typeof req.body === 'string' ? Buffer.from(req.body, 'base64') : Buffer.alloc(0);
    return new ShimError(versionReason(body), message);
  }
  if (/Bad MAC/.test(message)) return new ShimError('BadMac', message);
  if (/Invalid signature/.test(message) && req.op === 'process_bundle') return new ShimError('InvalidSignature', message);
  if (/Invalid public key/.test(message) && req.op !== 'decrypt') return new ShimError('InvalidKey', message);
  return new ShimError('InvalidMessage', message);
}

const wrapped = Object.fromEntries(Object.entries(ops).map(([k, fn]) => [k, async (req) => {
  if (party) party.store.missedSignedPreKey = false;
  return fn(req);
}]));

runShim(wrapped, mapError);
