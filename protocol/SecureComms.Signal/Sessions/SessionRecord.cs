using Google.Protobuf;
using SecureComms.Crypto;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Sessions;

/// <summary>
/// Everything kept about one peer address: the current session and up to
/// <see cref="SessionLimits.ArchivedStatesMaxLength"/> archived ones, most recent first (libsignal
/// <c>SessionRecord</c>). Archived sessions still decrypt late messages, and a message that one of them
/// decrypts promotes it back to current: that is how simultaneous initiation converges.
/// </summary>
public sealed class SessionRecord
{
    private SessionState? _current;
    private readonly List<SessionState> _previous;

    /// <summary>An empty record.</summary>
    public SessionRecord()
        : this(null, [])
    {
    }

    private SessionRecord(SessionState? current, List<SessionState> previous)
    {
        _current = current;
        _previous = previous;
    }

    /// <summary>Whether there is a current session.</summary>
    public bool HasCurrentState => _current is not null;

    /// <summary>How many sessions are archived.</summary>
    public int ArchivedStateCount => _previous.Count;

    /// <summary>The current session's peer registration id, if there is a current session.</summary>
    public uint? RemoteRegistrationId => _current?.Structure.RemoteRegistrationId;

    /// <summary>The current session's X3DH base key (0x05 ‖ u), which both parties of one session share.</summary>
    public byte[]? AliceBaseKey => _current?.Structure.AliceBaseKey.ToByteArray();

    internal SessionState? Current => _current;

    internal IReadOnlyList<SessionState> Previous => _previous;

    /// <summary>Parses a stored record.</summary>
    /// <exception cref="SignalProtocolException">InvalidRecord.</exception>
    public static SessionRecord Deserialize(ReadOnlySpan<byte> serialized)
    {
        Proto.RecordStructure structure = ProtobufParse.Parse(Proto.RecordStructure.Parser, serialized, "A session record", SignalError.InvalidRecord);
        if (structure.Previous.Count > SessionLimits.ArchivedStatesMaxLength)
        {
            throw new SignalProtocolException(SignalError.InvalidRecord, $"A session record keeps at most {SessionLimits.ArchivedStatesMaxLength} archived states.", structure.Previous.Count, SessionLimits.ArchivedStatesMaxLength);
        }
        return new SessionRecord(
            structure.Current is null ? null : SessionState.FromStored(structure.Current),
            structure.Previous.Select(SessionState.FromStored).ToList());
    }

    /// <summary>The stored form (contains secret keys: persist it as such).</summary>
    public byte[] Serialize()
    {
        var structure = new Proto.RecordStructure { Current = _current?.Structure };
        structure.Previous.Add(_previous.Select(s => s.Structure));
        return structure.ToByteArray();
    }

    /// <summary>Moves the current session to the archive (a reset: the next message needs a new X3DH).</summary>
    public void ArchiveCurrentState()
    {
        if (_current is not null)
        {
            PromoteState(null);
        }
    }

    /// <summary>Whether the current session can send: it exists and did not expire unacknowledged.</summary>
    public bool HasUsableSenderChain(DateTimeOffset now) => _current is { } current && !current.IsExpiredUnacknowledged(now);

    /// <summary>Makes <paramref name="state"/> current, archiving the old current one (oldest dropped past the limit).</summary>
    internal void PromoteState(SessionState? state)
    {
        if (_current is not null)
        {
            _previous.Insert(0, _current);
            if (_previous.Count > SessionLimits.ArchivedStatesMaxLength)
            {
                _previous.RemoveAt(_previous.Count - 1);
            }
        }
        _current = state;
    }

    /// <summary>Replaces the current session by its advanced copy.</summary>
    internal void SetCurrent(SessionState state) => _current = state;

    /// <summary>Brings archived session <paramref name="index"/>, advanced to <paramref name="state"/>, back to current.</summary>
    internal void PromoteOldSession(int index, SessionState state)
    {
        _previous.RemoveAt(index);
        PromoteState(state);
    }

    /// <summary>
    /// If a session from the X3DH run with <paramref name="baseKey"/> exists, makes it current and says so
    /// (a repeated PreKeySignalMessage reuses it rather than running X3DH again).
    /// </summary>
    internal bool PromoteMatchingSession(X25519PublicKey baseKey)
    {
        if (_current?.HasAliceBaseKey(baseKey) == true)
        {
            return true;
        }
        int index = _previous.FindIndex(s => s.HasAliceBaseKey(baseKey));
        if (index < 0)
        {
            return false;
        }
        PromoteOldSession(index, _previous[index]);
        return true;
    }
}
