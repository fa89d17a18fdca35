using SecureComms.Client.Local;
using SecureComms.Cloud.Proto;

namespace SecureComms.Client.Engine;

/// <summary>What <see cref="ClientEngine.Events"/> reports, in order.</summary>
public abstract record EngineEvent;

/// <summary>A message arrived and is stored in the profile (decrypted when private; see its state).</summary>
public sealed record MessageArrived(LocalMessage Message) : EngineEvent;

/// <summary>An accepted contact's presence changed.</summary>
public sealed record ContactPresenceChanged(string User, Presence Status) : EngineEvent;

/// <summary>Someone asked to become a contact.</summary>
public sealed record ContactRequestArrived(string From) : EngineEvent;

/// <summary>A call signal from the other party of a call (or made by the server).</summary>
public sealed record CallSignalArrived(CallSignalReceived Signal) : EngineEvent;

/// <summary>The engine is connected and authenticated (true), or lost its connection and is reconnecting (false).</summary>
public sealed record ConnectionChanged(bool Connected) : EngineEvent;

/// <summary>The server no longer accepts the session (expired, revoked): sign in again. The engine stops reconnecting.</summary>
public sealed record SessionEnded(string Reason) : EngineEvent;

/// <summary>A background task failed (prekey top-up, acknowledgement); the engine goes on. Never secrets.</summary>
public sealed record EngineWarning(string Message) : EngineEvent;

/// <summary>The server refused the session: the user must sign in again.</summary>
public sealed class SessionEndedException(string message) : Exception(message);

/// <summary>A message the server accepted as durable.</summary>
/// <param name="Id">Its client message id.</param>
/// <param name="Sequence">The server's sequence for it.</param>
public sealed record SentMessage(Guid Id, long Sequence);
