namespace SecureComms.Signal.Ratchet;

/// <summary>
/// The associated data every ratchet message is authenticated with: the sender's and the receiver's
/// identity keys, in that order (X3DH §3.3 AD = Encode(IKA) ‖ Encode(IKB), as libsignal orders it per
/// message direction).
/// </summary>
/// <param name="Sender">The encrypting party's identity.</param>
/// <param name="Receiver">The decrypting party's identity.</param>
internal readonly record struct AssociatedData(IdentityKey Sender, IdentityKey Receiver);
