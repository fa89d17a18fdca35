using SecureComms.Signal;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>session-record</c>: <see cref="SessionRecord.Deserialize"/>, and
/// <see cref="PreKeyRecord.Deserialize"/> and <see cref="SignedPreKeyRecord.Deserialize"/>, on the input (a
/// stored record read back from a corrupted or tampered store).
/// </summary>
/// <remarks>
/// Deserialization is total: the only exception allowed out is <see cref="SignalProtocolException"/>.
/// Oracles for a session record that parses: serialize, deserialize, serialize gives the same bytes twice
/// (the stored form is stable), and the read-only queries (<see cref="SessionRecord.HasUsableSenderChain"/>,
/// the current session's ids) answer without an exception. For a prekey or signed prekey record that
/// parses: it serializes back to a record that parses to the same id, keys and signature.
/// </remarks>
public static class SessionRecordTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "session-record";

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        CheckSessionRecord(data);
        CheckPreKeyRecord(data);
        CheckSignedPreKeyRecord(data);
    }

    private static void CheckSessionRecord(ReadOnlySpan<byte> data)
    {
        SessionRecord record;
        try
        {
            record = SessionRecord.Deserialize(data);
        }
        catch (SignalProtocolException)
        {
            return;
        }
        _ = record.HasUsableSenderChain(DateTimeOffset.UnixEpoch);
        _ = record.HasUsableSenderChain(DateTimeOffset.MaxValue);
        _ = record.RemoteRegistrationId;
        _ = record.AliceBaseKey;
        FuzzFindingException.Require(record.ArchivedStateCount <= SessionLimits.ArchivedStatesMaxLength, "a record keeps at most the archive limit");
        byte[] first = record.Serialize();
        SessionRecord reread = SessionRecord.Deserialize(first);
        byte[] second = reread.Serialize();
        byte[] third = SessionRecord.Deserialize(second).Serialize();
        FuzzFindingException.Require(second.AsSpan().SequenceEqual(third), "Serialize → Deserialize → Serialize is stable");
        FuzzFindingException.Require(first.AsSpan().SequenceEqual(second), "a deserialized record serializes as its reread copy does");
        FuzzFindingException.Require(
            reread.HasCurrentState == record.HasCurrentState && reread.ArchivedStateCount == record.ArchivedStateCount,
            "the reread record has the same sessions");

        // Archiving moves the current session (if any) to the front of the archive, dropping the oldest past the limit.
        record.ArchiveCurrentState();
        SessionRecord archived = SessionRecord.Deserialize(record.Serialize());
        FuzzFindingException.Require(!archived.HasCurrentState, "no current session after archiving");
        FuzzFindingException.Require(
            archived.ArchivedStateCount == Math.Min(SessionLimits.ArchivedStatesMaxLength, reread.ArchivedStateCount + (reread.HasCurrentState ? 1 : 0)),
            "archiving adds the current session to the archive, within the limit");
    }

    private static void CheckPreKeyRecord(ReadOnlySpan<byte> data)
    {
        PreKeyRecord record;
        try
        {
            record = PreKeyRecord.Deserialize(data);
        }
        catch (SignalProtocolException)
        {
            return;
        }
        using (record)
        {
            using PreKeyRecord again = PreKeyRecord.Deserialize(record.Serialize());
            FuzzFindingException.Require(
                again.Id == record.Id && again.PublicKey.Equals(record.PublicKey),
                "a prekey record reads back with the same id and key");
        }
    }

    private static void CheckSignedPreKeyRecord(ReadOnlySpan<byte> data)
    {
        SignedPreKeyRecord record;
        try
        {
            record = SignedPreKeyRecord.Deserialize(data);
        }
        catch (SignalProtocolException)
        {
            return;
        }
        using (record)
        {
            using SignedPreKeyRecord again = SignedPreKeyRecord.Deserialize(record.Serialize());
            FuzzFindingException.Require(
                again.Id == record.Id && again.PublicKey.Equals(record.PublicKey)
                && again.Signature.AsSpan().SequenceEqual(record.Signature) && again.Timestamp == record.Timestamp,
                "a signed prekey record reads back with the same id, key, signature and timestamp");
        }
    }
}
