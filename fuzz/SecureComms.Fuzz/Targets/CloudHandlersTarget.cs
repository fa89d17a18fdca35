using SecureComms.Cloud.Framing;
using SecureComms.Cloud.Proto;
using SecureComms.Fuzz.Cloud;
using SecureComms.Server.Services;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>cloud-handlers</c>: every handler of the cloud service (<c>CloudServer.CreateDispatcher</c>:
/// accounts, directory, contacts, presence, messages, prekeys, call signaling, and any request added later) over
/// a real SQLite store, driven by a sequence of fuzzed requests from six connections of a known world
/// (<see cref="CloudWorld"/>: alice, bob, carol, contacts, prekeys, a waiting message).
/// </summary>
/// <remarks>
/// <para><b>Input.</b> <see cref="CloudHandlerInput"/>: up to 16 steps, each a request (connection, body picked from
/// <see cref="ClientFrame"/>'s descriptor, fuzzed body bytes), a reconnect, or the clock moving past the ring
/// timeout or the sessions' lifetime. A request on a connection the server closed (its session revoked or expired)
/// goes out on a new one, as the transport reads nothing more from a closing connection. Every input starts from
/// a byte copy of the same world, so it runs the same way every time.</para>
/// <para><b>Oracles</b>, after every request (a violation is a <see cref="FuzzFindingException"/>; an exception of
/// a handler escapes as it is):</para>
/// <list type="bullet">
/// <item>the answer has a body, and an Error is never <c>CODE_INTERNAL</c> (what the connection answers when a
/// handler throws or fails in a way it did not plan for) nor <c>CODE_OK</c>;</item>
/// <item>a success is the answer type cloud.proto documents for the request (<see cref="CloudAnswers"/>);</item>
/// <item>an Error answer leaves the store byte-for-byte unchanged (<see cref="StoreDigest"/>, every table);</item>
/// <item>an unauthenticated connection gets <c>CODE_UNAUTHENTICATED</c> for everything but Register, SignIn,
/// Authenticate and Ping;</item>
/// <item>after Authenticated the connection is authenticated, after SignOut's Done it is not;</item>
/// <item>the answer, with its request id, fits a frame; every push (drained from every connection after each step)
/// has request id 0, a body, and fits a frame;</item>
/// <item>a presence other than OFFLINE is pushed only to an accepted contact of its user, as the store has it
/// after the step (OFFLINE also goes to a user just blocked, and says nothing).</item>
/// </list>
/// <para><b>Exemptions</b> from "an Error changes nothing": none are needed today. Sign-in throttling, the
/// registration and bundle-fetch rate limits and the call table are in memory, not in the store, so a refused
/// SignIn or ChangePassword (which count an attempt) changes no table.</para>
/// </remarks>
public static class CloudHandlersTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "cloud-handlers";

    /// <summary>Inputs share one work file (<see cref="CloudWorld.Open"/>): a caller that runs targets in parallel
    /// (a test runner) must not run two at once.</summary>
    private static readonly Lock OneInputAtATime = new();

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data) => Run(data, observe: null);

    /// <summary>Runs one input; <paramref name="observe"/> sees every request and its answer (the seed generator
    /// checks that its seeds are answered as intended).</summary>
    internal static void Run(ReadOnlySpan<byte> data, Action<ClientFrame, ServerFrame>? observe)
    {
        List<CloudStep> steps = CloudHandlerInput.Decode(data);
        lock (OneInputAtATime)
        {
            Run(steps, observe);
        }
    }

    /// <summary>Runs each file and prints every request and its answer (triage: what an input does); 1 when one failed.</summary>
    internal static int Trace(IEnumerable<string> paths)
    {
        int failures = 0;
        foreach (string path in paths)
        {
            Console.WriteLine(path);
            try
            {
                List<string> tokens = [.. CloudWorld.KnownStrings(string.Empty).Skip((int)KnownString.TokenAlice).Take(4)];
                Run(File.ReadAllBytes(path), (request, answer) =>
                {
                    string error = answer.Error is { } e ? $"{e.Code} \"{e.Message}\"" : "";
                    Console.WriteLine($"  {request.RequestId,2} {Redacted(request, tokens)}\n     -> {answer.BodyCase} {error}");
                    if (answer.SignedIn is { } signedIn)
                    {
                        tokens.Add(signedIn.Token);
                    }
                });
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"  FAIL {e}");
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The request as JSON, every session token replaced (tokens are secrets, even the fixture's).</summary>
    private static string Redacted(ClientFrame request, List<string> tokens) =>
        tokens.Where(t => t.Length > 0).Aggregate(request.ToString(), (json, token) => json.Replace(token, "<token>", StringComparison.Ordinal));

    private static void Run(List<CloudStep> steps, Action<ClientFrame, ServerFrame>? observe)
    {
        using CloudServerCore core = CloudWorld.Open();
        using var digest = new StoreDigest(CloudWorld.WorkPath);
        string lastIssuedToken = string.Empty;
        ulong requestId = 0;
        foreach (CloudStep step in steps)
        {
            ClientSession?[] boundBefore = [.. core.Connections.Select(core.Hub.SessionOf)];
            switch (step.Kind)
            {
                case CloudStepKind.Reconnect:
                    core.Reconnect(step.Connection);
                    break;
                case CloudStepKind.AdvanceClock:
                    core.Clock.Advance(CloudHandlerInput.ClockStep);
                    break;
                case CloudStepKind.ExpireSessions:
                    core.Clock.Advance(CloudHandlerInput.SessionStep);
                    break;
                default:
                    if (core.Connections[step.Connection].CloseReason is not null)
                    {
                        // The server closed it (a session ended elsewhere, or expired): its read loop reads no more
                        // requests, so the client comes back on a new connection.
                        core.Reconnect(step.Connection);
                    }
                    ClientFrame request = CloudHandlerInput.ToFrame(step, ++requestId, CloudWorld.KnownStrings(lastIssuedToken));
                    ServerFrame answer = Answer(core, digest, step.Connection, request);
                    observe?.Invoke(request, answer);
                    if (answer.BodyCase == ServerFrame.BodyOneofCase.SignedIn)
                    {
                        lastIssuedToken = answer.SignedIn.Token;
                    }
                    break;
            }
            CheckPushes(core, boundBefore);
        }
    }

    private static ServerFrame Answer(CloudServerCore core, StoreDigest digest, int connection, ClientFrame request)
    {
        ClientFrame.BodyOneofCase body = request.BodyCase;
        bool authenticated = core.Hub.SessionOf(core.Connections[connection]) is not null;
        byte[] before = digest.Compute();

        ServerFrame answer = core.Send(connection, request);

        FuzzFindingException.Require(answer.BodyCase != ServerFrame.BodyOneofCase.None, $"the answer to {body} has a body");
        FuzzFindingException.Require(answer.RequestId == request.RequestId, "the answer carries the request's id");
        FuzzFindingException.Require(answer.CalculateSize() <= FrameLimits.MaxFrameSizeInBytes, $"the answer to {body} fits a frame");
        if (answer.BodyCase == ServerFrame.BodyOneofCase.Error)
        {
            Code code = answer.Error.Code;
            FuzzFindingException.Require(code != Code.Internal, $"{body} is never answered CODE_INTERNAL (a handler failed)");
            FuzzFindingException.Require(code != Code.Ok, $"an Error answer to {body} has a code");
            FuzzFindingException.Require(digest.Compute().AsSpan().SequenceEqual(before),
                $"an Error answer to {body} ({code}) leaves the store unchanged");
        }
        else
        {
            FuzzFindingException.Require(CloudAnswers.IsSuccessAnswer(body, answer.BodyCase),
                $"a successful {body} is answered with its documented type, not {answer.BodyCase}");
        }
        if (!authenticated && !CloudAnswers.AnonymousRequests.Contains(body))
        {
            FuzzFindingException.Require(answer.Error is { Code: Code.Unauthenticated },
                $"an unauthenticated {body} is answered CODE_UNAUTHENTICATED, not {answer.BodyCase} {answer.Error?.Code}");
        }
        bool nowAuthenticated = core.Hub.SessionOf(core.Connections[connection]) is not null;
        if (answer.BodyCase == ServerFrame.BodyOneofCase.Authenticated)
        {
            FuzzFindingException.Require(!authenticated && nowAuthenticated, "Authenticated binds an unauthenticated connection");
        }
        if (body == ClientFrame.BodyOneofCase.SignOut && answer.BodyCase == ServerFrame.BodyOneofCase.Done)
        {
            FuzzFindingException.Require(!nowAuthenticated, "after SignOut the connection is unauthenticated");
        }
        return answer;
    }

    private static void CheckPushes(CloudServerCore core, ClientSession?[] boundBefore)
    {
        for (int i = 0; i < CloudServerCore.ConnectionCount; i++)
        {
            foreach (ServerFrame push in core.DrainPushes(i))
            {
                FuzzFindingException.Require(push.RequestId == 0, "a push has request_id 0");
                FuzzFindingException.Require(push.BodyCase != ServerFrame.BodyOneofCase.None, "a push has a body");
                FuzzFindingException.Require(push.CalculateSize() <= FrameLimits.MaxFrameSizeInBytes, "a push fits a frame");
                if (push.PresenceChanged is { Status: not Presence.Offline } presence)
                {
                    // A connection serves one user at most during a step (one request binds or unbinds it).
                    ClientSession? recipient = boundBefore[i] ?? core.Hub.SessionOf(core.Connections[i]);
                    FuzzFindingException.Require(recipient is not null && AreContacts(core, recipient, presence.User),
                        "a presence other than OFFLINE is pushed only to an accepted contact (PresenceHub's policy)");
                }
            }
        }
    }

    private static bool AreContacts(CloudServerCore core, ClientSession recipient, string username) =>
        core.Store.FindAccountAsync(username).GetAwaiter().GetResult() is { } user
        && core.Store.AreAcceptedContactsAsync(recipient.User, user.Id).GetAwaiter().GetResult();
}
