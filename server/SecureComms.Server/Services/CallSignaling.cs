using SecureComms.Cloud.Proto;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;
using Kind = SecureComms.Cloud.Proto.CallSignal.Types.Kind;

namespace SecureComms.Server.Services;

/// <summary>
/// Call signaling: relays <see cref="CallSignal"/>s between two accepted contacts, keeping a state machine per
/// call in memory (Inviting → Ringing → Active → Ended; "Idle" is the absence of a call).
/// </summary>
/// <remarks>
/// <para><b>Transitions.</b> INVITE (caller, new call id) → Inviting; RINGING (callee, Inviting) → Ringing;
/// ACCEPT (callee, Inviting or Ringing) → Active; REJECT, BUSY (callee) and CANCEL (caller), from Inviting or
/// Ringing → Ended; HANG_UP (either, Active) → Ended; CANDIDATES (either, any live state) keeps the state;
/// TIMEOUT is the server's only (a client sending it: <c>CODE_BAD_REQUEST</c>). An ended call is forgotten at
/// once, so a later signal for it is <c>CODE_NOT_FOUND</c> (and its id may be used again).</para>
/// <para><b>Refusals.</b> Not accepted contacts: <c>CODE_FORBIDDEN</c>, except for REJECT, BUSY, CANCEL and HANG_UP
/// from a party of the call (contacts who stop being contacts mid-call can still end it); unknown call: <c>CODE_NOT_FOUND</c>;
/// a sender or peer that is not a party of the call: <c>CODE_FORBIDDEN</c>; a signal not valid in the state or
/// for the sender's side (the caller accepting, a hang-up before accept): <c>CODE_CONFLICT</c>.</para>
/// <para><b>Decisions.</b> An INVITE to a user with no live connection is answered <c>CODE_UNAVAILABLE</c> (no
/// call is created). A user takes part in at most one call: a caller already in one is answered
/// <c>CODE_CONFLICT</c>; a callee already in one makes the server push BUSY to the caller (the request is answered
/// Done, so the caller handles a server BUSY like the callee's own). An invite not accepted within
/// <see cref="ServiceOptions.RingTimeout"/> ends with TIMEOUT pushed to both parties. When a party's last
/// connection closes (or signs out) the other party gets HANG_UP, whatever the state.</para>
/// <para><b>Glare.</b> When each of two users invites the other, the invite with the lower call id (its 16 bytes
/// compared as unsigned bytes, lexicographically) wins, whatever the order of arrival: if the losing invite
/// arrives second it is answered <c>CODE_CONFLICT</c>; if it arrived first it is ended with BUSY pushed to its
/// caller, and the winning invite proceeds.</para>
/// <para><b>Threads.</b> One lock guards the tables; pushes are made under it (they never wait), so the signals of
/// a call reach the other party in the order the server accepted them.</para>
/// </remarks>
internal sealed class CallSignaling
{
    private readonly IServerStore _store;
    private readonly PresenceHub _hub;
    private readonly ServiceOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Call> _calls = [];
    private readonly Dictionary<UserId, Call> _callOf = [];

    public CallSignaling(IServerStore store, PresenceHub hub, ServiceOptions options)
    {
        _store = store;
        _hub = hub;
        _options = options;
        hub.LastSessionClosed += OnLastSessionClosed;
    }

    private enum CallState
    {
        Inviting,
        Ringing,
        Active,
        Ended,
    }

    public void Register(FrameDispatcher dispatcher) =>
        dispatcher.Register(ClientFrame.BodyOneofCase.CallSignal, DelegateHandler.Authenticated(_hub, SignalAsync));

    private async Task<ServerFrame> SignalAsync(ClientSession session, ClientFrame request, CancellationToken cancellationToken)
    {
        CallSignal signal = request.CallSignal;
        if (signal.CallId.Length != CallLimits.CallIdSizeInBytes)
        {
            return Answers.Error(Code.BadRequest, $"call_id must be {CallLimits.CallIdSizeInBytes} bytes");
        }
        if (signal.Payload.Length > CallLimits.MaxPayloadSizeInBytes)
        {
            return Answers.Error(Code.BadRequest, $"payload over {CallLimits.MaxPayloadSizeInBytes} bytes");
        }
        if (signal.Kind is Kind.Unspecified or Kind.Timeout || !Enum.IsDefined(signal.Kind))
        {
            return Answers.Error(Code.BadRequest, "not a signal a client may send");
        }
        if (Answers.Normalize(signal.Peer) is not { } name
            || await _store.FindAccountAsync(name, cancellationToken).ConfigureAwait(false) is not { } peer)
        {
            return Answers.NoSuchUser();
        }
        // A signal that ends a call is taken from its parties even when they are no longer contacts (one blocked the
        // other mid-call): else neither could end it, and both would stay "in a call" until one disconnected.
        bool ends = signal.Kind is Kind.Reject or Kind.Busy or Kind.Cancel or Kind.HangUp;
        if (!ends && !await _store.AreAcceptedContactsAsync(session.User, peer.Id, cancellationToken).ConfigureAwait(false))
        {
            return Answers.Error(Code.Forbidden, "calls are between accepted contacts only");
        }
        var id = new Guid(signal.CallId.Span);
        return signal.Kind == Kind.Invite
            ? Invite(session, peer.Id, peer.Username, id, signal)
            : Continue(session, peer.Id, id, signal);
    }

    private ServerFrame Invite(ClientSession caller, UserId callee, string calleeName, Guid id, CallSignal signal)
    {
        if (callee == caller.User)
        {
            return Answers.Error(Code.Conflict, "cannot call oneself");
        }
        if (_hub.SessionsOf(callee).Count == 0)
        {
            return Answers.Error(Code.Unavailable, "the peer is offline");
        }
        lock (_lock)
        {
            if (_calls.ContainsKey(id))
            {
                return Answers.Error(Code.Conflict, "call_id in use");
            }
            if (_callOf.TryGetValue(caller.User, out Call? mine))
            {
                bool glare = mine.Caller == callee && mine.Callee == caller.User && mine.State is CallState.Inviting or CallState.Ringing;
                if (!glare)
                {
                    return Answers.Error(Code.Conflict, "already in a call");
                }
                if (mine.IdBytes.AsSpan().SequenceCompareTo(signal.CallId.Span) < 0)
                {
                    return Answers.Error(Code.Conflict, "the peer's invite wins (lower call_id)");
                }
                EndLocked(mine);
                Push(mine.Caller, mine, caller.Username, Kind.Busy);
            }
            if (_callOf.ContainsKey(callee))
            {
                _hub.PushTo(caller.User, Frame(signal.CallId.ToByteArray(), calleeName, Kind.Busy, null));
                return Answers.Done();
            }
            var call = new Call(id, signal.CallId.ToByteArray(), caller.User, caller.Username, callee, calleeName);
            _calls[id] = call;
            _callOf[caller.User] = call;
            _callOf[callee] = call;
            call.RingTimer = _options.TimeProvider.CreateTimer(static state => ((Timeout)state!).Fire(), new Timeout(this, call),
                _options.RingTimeout, System.Threading.Timeout.InfiniteTimeSpan);
            Push(callee, call, caller.Username, Kind.Invite, signal.Payload);
        }
        return Answers.Done();
    }

    private ServerFrame Continue(ClientSession sender, UserId peer, Guid id, CallSignal signal)
    {
        lock (_lock)
        {
            if (!_calls.TryGetValue(id, out Call? call))
            {
                return Answers.Error(Code.NotFound, "no such call");
            }
            bool isCaller = call.Caller == sender.User;
            if (!isCaller && call.Callee != sender.User || (isCaller ? call.Callee : call.Caller) != peer)
            {
                return Answers.Error(Code.Forbidden, "not a party of this call");
            }
            bool ringing = call.State is CallState.Inviting or CallState.Ringing;
            CallState? next = signal.Kind switch
            {
                Kind.Ringing when !isCaller && call.State == CallState.Inviting => CallState.Ringing,
                Kind.Accept when !isCaller && ringing => CallState.Active,
                Kind.Reject or Kind.Busy when !isCaller && ringing => CallState.Ended,
                Kind.Cancel when isCaller && ringing => CallState.Ended,
                Kind.HangUp when call.State == CallState.Active => CallState.Ended,
                Kind.Candidates => call.State,
                _ => null,
            };
            if (next is not { } state)
            {
                return Answers.Error(Code.Conflict, $"{signal.Kind} is not valid now");
            }
            if (state == CallState.Ended)
            {
                EndLocked(call);
            }
            else
            {
                call.State = state;
                if (state == CallState.Active)
                {
                    call.RingTimer?.Dispose();
                    call.RingTimer = null;
                }
            }
            Push(peer, call, sender.Username, signal.Kind, signal.Payload);
        }
        return Answers.Done();
    }

    private void OnRingTimeout(Call call)
    {
        lock (_lock)
        {
            if (call.State is not (CallState.Inviting or CallState.Ringing) || !_calls.TryGetValue(call.Id, out Call? current) || current != call)
            {
                return;
            }
            EndLocked(call);
            Push(call.Caller, call, call.CalleeName, Kind.Timeout);
            Push(call.Callee, call, call.CallerName, Kind.Timeout);
        }
    }

    private void OnLastSessionClosed(ClientSession session)
    {
        lock (_lock)
        {
            if (!_callOf.TryGetValue(session.User, out Call? call))
            {
                return;
            }
            EndLocked(call);
            Push(call.Caller == session.User ? call.Callee : call.Caller, call, session.Username, Kind.HangUp);
        }
    }

    private void EndLocked(Call call)
    {
        call.State = CallState.Ended;
        call.RingTimer?.Dispose();
        call.RingTimer = null;
        _calls.Remove(call.Id);
        foreach (UserId party in (ReadOnlySpan<UserId>)[call.Caller, call.Callee])
        {
            if (_callOf.TryGetValue(party, out Call? current) && current == call)
            {
                _callOf.Remove(party);
            }
        }
    }

    private void Push(UserId recipient, Call call, string from, Kind kind, Google.Protobuf.ByteString? payload = null) =>
        _hub.PushTo(recipient, Frame(call.IdBytes, from, kind, payload));

    private static ServerFrame Frame(byte[] callId, string from, Kind kind, Google.Protobuf.ByteString? payload) => new()
    {
        CallSignal = new CallSignal
        {
            CallId = Google.Protobuf.ByteString.CopyFrom(callId),
            Peer = from,
            Kind = kind,
            Payload = payload ?? Google.Protobuf.ByteString.Empty,
        },
    };

    private sealed class Call(Guid id, byte[] idBytes, UserId caller, string callerName, UserId callee, string calleeName)
    {
        public Guid Id { get; } = id;

        public byte[] IdBytes { get; } = idBytes;

        public UserId Caller { get; } = caller;

        public string CallerName { get; } = callerName;

        public UserId Callee { get; } = callee;

        public string CalleeName { get; } = calleeName;

        public CallState State { get; set; } = CallState.Inviting;

        public ITimer? RingTimer { get; set; }
    }

    private sealed class Timeout(CallSignaling owner, Call call)
    {
        public void Fire() => owner.OnRingTimeout(call);
    }
}
