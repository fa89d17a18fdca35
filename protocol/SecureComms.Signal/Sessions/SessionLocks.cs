using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace SecureComms.Signal.Sessions;

/// <summary>
/// One lock per (store, peer address), whichever <see cref="SessionCipher"/> instance is used: a load,
/// ratchet step and commit on one session never interleave (Signal-iOS #1630 and whatsmeow #1168 lost
/// messages that way).
/// </summary>
internal static class SessionLocks
{
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<ProtocolAddress, Lock>> Locks = [];

    /// <summary>The lock of <paramref name="address"/>'s session in <paramref name="store"/>.</summary>
    public static Lock For(object store, ProtocolAddress address) =>
        Locks.GetValue(store, _ => new()).GetOrAdd(address, _ => new Lock());
}
