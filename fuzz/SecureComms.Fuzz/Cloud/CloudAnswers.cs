using SecureComms.Cloud.Proto;

namespace SecureComms.Fuzz.Cloud;

/// <summary>
/// What <c>cloud.proto</c>'s comments promise for each request: the body of a successful answer, and whether an
/// unauthenticated connection may send it. The one table the <c>cloud-handlers</c> oracles read.
/// </summary>
/// <remarks>
/// <para><b>Source.</b> The "Answer:" lines of <c>protocol/SecureComms.Cloud/Proto/cloud.proto</c>. A failed request
/// is answered with an <see cref="Error"/> instead, whatever the request.</para>
/// <para><b>A new request</b> (a body of <see cref="ClientFrame"/> this table does not list yet) is still fuzzed: the
/// target picks bodies from <see cref="ClientFrame.Descriptor"/>. Until a row is added here, its answer is only
/// checked to be an Error or an answer body (not a push: <see cref="Pushes"/>), and the unauthenticated rule
/// applies to it as to every request but <see cref="AnonymousRequests"/>.</para>
/// </remarks>
internal static class CloudAnswers
{
    /// <summary>The requests an unauthenticated connection may make (cloud.proto, "Accounts"): anything else is
    /// answered <see cref="Code.Unauthenticated"/>.</summary>
    public static IReadOnlySet<ClientFrame.BodyOneofCase> AnonymousRequests { get; } = new HashSet<ClientFrame.BodyOneofCase>
    {
        ClientFrame.BodyOneofCase.Ping,
        ClientFrame.BodyOneofCase.Register,
        ClientFrame.BodyOneofCase.SignIn,
        ClientFrame.BodyOneofCase.Authenticate,
    };

    /// <summary>Request body → the body of its successful answer.</summary>
    public static IReadOnlyDictionary<ClientFrame.BodyOneofCase, ServerFrame.BodyOneofCase> Success { get; } =
        new Dictionary<ClientFrame.BodyOneofCase, ServerFrame.BodyOneofCase>
        {
            [ClientFrame.BodyOneofCase.Ping] = ServerFrame.BodyOneofCase.Pong,
            [ClientFrame.BodyOneofCase.Register] = ServerFrame.BodyOneofCase.Done,
            [ClientFrame.BodyOneofCase.SignIn] = ServerFrame.BodyOneofCase.SignedIn,
            [ClientFrame.BodyOneofCase.Authenticate] = ServerFrame.BodyOneofCase.Authenticated,
            [ClientFrame.BodyOneofCase.SignOut] = ServerFrame.BodyOneofCase.Done,
            [ClientFrame.BodyOneofCase.ChangePassword] = ServerFrame.BodyOneofCase.Done,
            [ClientFrame.BodyOneofCase.FindUser] = ServerFrame.BodyOneofCase.UserFound,
            [ClientFrame.BodyOneofCase.ContactRequest] = ServerFrame.BodyOneofCase.Contacts,
            [ClientFrame.BodyOneofCase.ContactAccept] = ServerFrame.BodyOneofCase.Contacts,
            [ClientFrame.BodyOneofCase.ContactDecline] = ServerFrame.BodyOneofCase.Contacts,
            [ClientFrame.BodyOneofCase.ContactBlock] = ServerFrame.BodyOneofCase.Contacts,
            [ClientFrame.BodyOneofCase.ListContacts] = ServerFrame.BodyOneofCase.Contacts,
            [ClientFrame.BodyOneofCase.SetPresence] = ServerFrame.BodyOneofCase.Done,
            [ClientFrame.BodyOneofCase.SendMessage] = ServerFrame.BodyOneofCase.MessageAccepted,
            [ClientFrame.BodyOneofCase.AckMessages] = ServerFrame.BodyOneofCase.Done,
            [ClientFrame.BodyOneofCase.UploadPreKeys] = ServerFrame.BodyOneofCase.PreKeysStored,
            [ClientFrame.BodyOneofCase.FetchBundle] = ServerFrame.BodyOneofCase.Bundle,
            [ClientFrame.BodyOneofCase.CallSignal] = ServerFrame.BodyOneofCase.Done,
            [ClientFrame.BodyOneofCase.RequestCertificate] = ServerFrame.BodyOneofCase.CertificateIssued,
        };

    /// <summary>The bodies a server pushes (request_id 0), never an answer to a request (cloud.proto, "Pushes").
    /// <see cref="ServerFrame.BodyOneofCase.CallSignal"/> is one, and <see cref="ServerFrame.BodyOneofCase.Error"/>
    /// too when it ends the connection.</summary>
    public static IReadOnlySet<ServerFrame.BodyOneofCase> Pushes { get; } = new HashSet<ServerFrame.BodyOneofCase>
    {
        ServerFrame.BodyOneofCase.IncomingMessage,
        ServerFrame.BodyOneofCase.PresenceChanged,
        ServerFrame.BodyOneofCase.ContactRequestReceived,
        ServerFrame.BodyOneofCase.PreKeysLow,
        ServerFrame.BodyOneofCase.CallSignal,
    };

    /// <summary>Whether <paramref name="answer"/> is a body <paramref name="request"/> may be answered with on success.</summary>
    public static bool IsSuccessAnswer(ClientFrame.BodyOneofCase request, ServerFrame.BodyOneofCase answer) =>
        Success.TryGetValue(request, out ServerFrame.BodyOneofCase expected)
            ? answer == expected
            : answer is not (ServerFrame.BodyOneofCase.None or ServerFrame.BodyOneofCase.Error) && !Pushes.Contains(answer);
}
