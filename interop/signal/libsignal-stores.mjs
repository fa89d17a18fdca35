// In-memory stores for @signalapp/libsignal-client@0.72.1, shared by libsignal-shim.mjs and bench.mjs:
// records kept serialized (a fresh deserialized copy on every load, as SecureComms' in-memory store does),
// identities trusted on first use, no Kyber prekeys (classic X3DH).
import * as SignalClient from '@signalapp/libsignal-client';

const {
  PublicKey, PreKeyRecord, SignedPreKeyRecord, SessionRecord, IdentityChange,
  SessionStore, IdentityKeyStore, PreKeyStore, SignedPreKeyStore, KyberPreKeyStore,
} = SignalClient;

/** Records which prekey lookup missed during the current op, so the error can name InvalidPreKeyId. */
export class Misses {
  constructor() { this.reset(); }
  reset() { this.preKey = false; this.signedPreKey = false; }
}

export class MemSessionStore extends SessionStore {
  constructor() { super(); this.map = new Map(); }
  async saveSession(address, record) { this.map.set(address.toString(), record.serialize()); }
  async getSession(address) {
    const s = this.map.get(address.toString());
    return s ? SessionRecord.deserialize(s) : null;
  }
  async getExistingSessions(addresses) {
    return addresses.map((a) => {
      const s = this.map.get(a.toString());
      if (!s) throw new Error(`no session for ${a.toString()}`);
      return SessionRecord.deserialize(s);
    });
  }
}

/** Trust on first use: unknown address or same key → trusted; a different key → untrusted until "trust". */
export class MemIdentityStore extends IdentityKeyStore {
  constructor(identity, registrationId) {
    super();
    this.identity = identity;
    this.registrationId = registrationId;
    this.map = new Map(); // address string → serialized PublicKey
  }
  async getIdentityKey() { return this.identity.privateKey; }
  async getLocalRegistrationId() { return this.registrationId; }
  async saveIdentity(address, key) {
    const k = address.toString();
    const old = this.map.get(k);
    const ser = key.serialize();
    this.map.set(k, ser);
    return old && !old.equals(ser) ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged;
  }
  async isTrustedIdentity(address, key, _direction) {
    const old = this.map.get(address.toString());
    return old === undefined || old.equals(key.serialize());
  }
  async getIdentity(address) {
    const old = this.map.get(address.toString());
    return old ? PublicKey.deserialize(old) : null;
  }
}

export class MemPreKeyStore extends PreKeyStore {
  constructor(misses) { super(); this.map = new Map(); this.misses = misses; }
  async savePreKey(id, record) { this.map.set(id, record.serialize()); }
  async getPreKey(id) {
    const s = this.map.get(id);
    if (!s) { if (this.misses) this.misses.preKey = true; throw new Error(`no prekey with id ${id}`); }
    return PreKeyRecord.deserialize(s);
  }
  async removePreKey(id) { this.map.delete(id); }
}

export class MemSignedPreKeyStore extends SignedPreKeyStore {
  constructor(misses) { super(); this.map = new Map(); this.misses = misses; }
  async saveSignedPreKey(id, record) { this.map.set(id, record.serialize()); }
  async getSignedPreKey(id) {
    const s = this.map.get(id);
    if (!s) { if (this.misses) this.misses.signedPreKey = true; throw new Error(`no signed prekey with id ${id}`); }
    return SignedPreKeyRecord.deserialize(s);
  }
}

/** Classic X3DH only: this shim never publishes Kyber prekeys, so every lookup misses. */
export class MemKyberPreKeyStore extends KyberPreKeyStore {
  async saveKyberPreKey(_id, _record) { throw new Error('this shim does not use Kyber prekeys'); }
  async getKyberPreKey(id) { throw new Error(`no kyber prekey with id ${id}`); }
  async markKyberPreKeyUsed(_id) {}
}

