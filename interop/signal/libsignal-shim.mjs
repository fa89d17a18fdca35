#!/usr/bin/env node
// One Signal party over @signalapp/libsignal-client@0.72.1 (Rust libsignal's Node binding), driven by the
// JSON-lines protocol of docs/shim.md. Stores are in memory; "init" starts a fresh party.
import * as SignalClient from '@signalapp/libsignal-client';
import {
  ShimError, malformed, str, uint, bool, obj, bytes, publicKey, b64, versionReason, runShim, needParty,
} from './shim-common.mjs';
import {
  Misses, MemSessionStore, MemIdentityStore, MemPreKeyStore, MemSignedPreKeyStore, MemKyberPreKeyStore,
} from './libsignal-stores.mjs';

const {
  IdentityKeyPair, PrivateKey, PublicKey, ProtocolAddress, PreKeyBundle, PreKeyRecord, SignedPreKeyRecord,
  PreKeySignalMessage, SignalMessage, CiphertextMessageType, Fingerprint, ErrorCode, LibSignalErrorBase,
  processPreKeyBundle, signalEncrypt, signalDecrypt, signalDecryptPreKey,
} = SignalClient;

let party = null;

function address(req) {
  return ProtocolAddress.new(str(req, 'peer'), uint(req, 'deviceId'));
}

const ops = {
  async init(req) {
    const name = str(req, 'name');
    const registrationId = uint(req, 'registrationId');
    const deviceId = uint(req, 'deviceId');
    const identity = IdentityKeyPair.generate();
    const misses = new Misses();
    party = {
      name, registrationId, deviceId, identity, misses,
      sessions: new MemSessionStore(),
      identities: new MemIdentityStore(identity, registrationId),
      preKeys: new MemPreKeyStore(misses),
      signedPreKeys: new MemSignedPreKeyStore(misses),
      kyberPreKeys: new MemKyberPreKeyStore(),
    };
    return { identityKey: b64(identity.publicKey.serialize()) };
  },

  async bundle(req) {
    const p = needParty(party);
    const oneTimePreKey = bool(req, 'oneTimePreKey');
    const signedPreKeyId = uint(req, 'signedPreKeyId');
    const preKeyId = oneTimePreKey ? uint(req, 'preKeyId') : undefined;
    let signed = p.signedPreKeys.map.get(signedPreKeyId);
    if (signed) {
      signed = SignedPreKeyRecord.deserialize(signed);
    } else {
      const priv = PrivateKey.generate();
      const pub = priv.getPublicKey();
      const sig = p.identity.privateKey.sign(pub.serialize());
      signed = SignedPreKeyRecord.new(signedPreKeyId, Date.now(), pub, priv, sig);
      await p.signedPreKeys.saveSignedPreKey(signedPreKeyId, signed);
    }
    const bundle = {
      registrationId: p.registrationId,
      deviceId: p.deviceId,
      identityKey: b64(p.identity.publicKey.serialize()),
      signedPreKeyId,
      signedPreKey: b64(signed.publicKey().serialize()),
      signedPreKeySignature: b64(signed.signature()),
    };
    if (oneTimePreKey) {
      const priv = PrivateKey.generate();
      await p.preKeys.savePreKey(preKeyId, PreKeyRecord.new(preKeyId, priv.getPublicKey(), priv));
      bundle.preKeyId = preKeyId;
      bundle.preKey = b64(priv.getPublicKey().serialize());
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
    const bundle = PreKeyBundle.new(
      uint(b, 'registrationId'),
      uint(b, 'deviceId'),
      hasPreKeyId ? uint(b, 'preKeyId') : null,
      hasPreKey ? PublicKey.deserialize(publicKey(b, 'preKey')) : null,
      uint(b, 'signedPreKeyId'),
      PublicKey.deserialize(publicKey(b, 'signedPreKey')),
      bytes(b, 'signedPreKeySignature'),
      PublicKey.deserialize(publicKey(b, 'identityKey')),
      null, null, null, // no Kyber prekey: classic X3DH (0.72.1 still accepts such bundles)
    );
    await processPreKeyBundle(bundle, addr, p.sessions, p.identities);
    return {};
  },

  async encrypt(req) {
    const p = needParty(party);
    const addr = address(req);
    const plaintext = bytes(req, 'plaintext');
    const msg = await signalEncrypt(plaintext, addr, p.sessions, p.identities);
    return { type: msg.type(), body: b64(msg.serialize()) };
  },

  async decrypt(req) {
    const p = needParty(party);
    const addr = address(req);
    const type = uint(req, 'type');
    const body = bytes(req, 'body');
    let plaintext;
    if (type === CiphertextMessageType.PreKey) {
      const m = PreKeySignalMessage.deserialize(body);
      plaintext = await signalDecryptPreKey(m, addr, p.sessions, p.identities, p.preKeys, p.signedPreKeys, p.kyberPreKeys);
    } else if (type === CiphertextMessageType.Whisper) {
      const m = SignalMessage.deserialize(body);
      plaintext = await signalDecrypt(m, addr, p.sessions, p.identities);
    } else {
      throw malformed(`field "type" must be 2 (SignalMessage) or 3 (PreKeySignalMessage), got ${type}`);
    }
    return { plaintext: b64(plaintext) };
  },

  async trust(req) {
    const p = needParty(party);
    const addr = address(req);
    await p.identities.saveIdentity(addr, PublicKey.deserialize(publicKey(req, 'identityKey')));
    return {};
  },

  async has_session(req) {
    const p = needParty(party);
    const record = await p.sessions.getSession(address(req));
    return { exists: record !== null && record.hasCurrentState() };
  },

  async fingerprint(req) {
    const p = needParty(party);
    const localName = str(req, 'localName');
    const remoteName = str(req, 'remoteName');
    const remoteKey = PublicKey.deserialize(publicKey(req, 'remoteIdentityKey'));
    const fp = Fingerprint.new(5200, 2, Buffer.from(localName, 'utf8'), p.identity.publicKey,
      Buffer.from(remoteName, 'utf8'), remoteKey);
    return {
      displayable: fp.displayableFingerprint().toString(),
      scannable: b64(fp.scannableFingerprint().toBuffer()),
    };
  },

  async sign(req) {
    const p = needParty(party);
    const message = bytes(req, 'message');
    return { signature: b64(p.identity.privateKey.sign(message)) };
  },

  async verify(req) {
    const key = PublicKey.deserialize(publicKey(req, 'publicKey'));
    const message = bytes(req, 'message');
    const signature = bytes(req, 'signature');
    if (signature.length !== 64) return { valid: false };
    return { valid: key.verify(message, signature) };
  },
};

/** libsignal error → docs/shim.md reason; the library's own text goes in "message". */
function mapError(e, req) {
  const message = String(e?.message ?? e);
  const misses = party?.misses;
  const missedPreKey = misses?.preKey;
  const missedSigned = misses?.signedPreKey;
  misses?.reset();
  const code = e instanceof LibSignalErrorBase ? e.code : undefined;
  if (code === ErrorCode.DuplicatedMessage) return new ShimError('DuplicateMessage', message);
  if (code === ErrorCode.UntrustedIdentity) return new ShimError('UntrustedIdentity', message);
  if (missedSigned) return new ShimError('InvalidSignedPreKeyId', message);
  if (missedPreKey) return new ShimError('InvalidPreKeyId', message);
  if (/too far into the future/i.test(message)) return new ShimError('TooFarInFuture', message);
  if (/session .*not found|no session/i.test(message)) return new ShimError('NoSession', message);
  if (/signature/i.test(message) && req.op === 'process_bundle') return new ShimError('InvalidSignature', message);
  if (/version was too old|legacy ciphertext version/i.test(message)) return new ShimError('LegacyVersion', message);
  if (/version was unrecognized|unrecognized (ciphertext|message) version/i.test(message)) {
    const body = typeof req.body === 'string' ? Buffer.from(req.body, 'base64') : Buffer.alloc(0);
    return new ShimError(body.length ? versionReason(body) : 'UnknownVersion', message);
  }
  if (/invalid .*key|bad key type|no key type identifier/i.test(message) && req.op !== 'decrypt') {
    return new ShimError('InvalidKey', message);
  }
  if (/MAC/.test(message) && !/no (valid )?session/i.test(message)) {
    // libsignal reports a bad MAC as "invalid message" once every session has been tried; only a direct
    // MAC complaint maps to BadMac.
    if (/MAC verification failed|bad mac/i.test(message)) return new ShimError('BadMac', message);
  }
  return new ShimError('InvalidMessage', message);
}

const wrapped = Object.fromEntries(Object.entries(ops).map(([k, fn]) => [k, async (req) => {
  party?.misses.reset();
  return fn(req);
}]));

runShim(wrapped, mapError);
