using System.Text.Json.Nodes;
using SecureComms.Client.Engine;
using SecureComms.Client.Local;
using SecureComms.Cloud.Proto;

namespace SecureComms.Cli.Client;

/// <summary>The JSON-RPC methods (docs/jsonrpc.md), each a thin call into the <see cref="ClientEngine"/>.</summary>
internal sealed class JsonRpcMethods(ClientEngine engine)
{
    /// <summary>Longest string parameter accepted (a message text is bounded by the server's 64 KiB body).</summary>
    private const int MaxStringLength = 64 * 1024;

    /// <summary>Resumes a stored session if there is one (the engine keeps reconnecting if the server is down).</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        if (engine.Profile.Store.LoadSession() is not null)
        {
            try
            {
                await engine.StartAsync(requireConnection: false, cancellationToken).ConfigureAwait(false);
            }
            catch (SessionEndedException)
            {
                // Reported to each call that needs a session: login again.
            }
        }
    }

    /// <summary>Runs <paramref name="method"/>.</summary>
    /// <exception cref="JsonRpcException">Unknown method, bad parameters, not signed in.</exception>
    public Task<JsonNode> InvokeAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var p = new Params(parameters);
        return method switch
        {
            "register" => RegisterAsync(p, cancellationToken),
            "login" => LoginAsync(p, cancellationToken),
            "logout" => Signed(async () =>
            {
                p.NoMore();
                await engine.LogoutAsync(cancellationToken).ConfigureAwait(false);
                return new JsonObject();
            }),
            "contacts.add" => Signed(() => ContactsAsync(engine.RequestContactAsync(p.User("username"), cancellationToken), p)),
            "contacts.accept" => Signed(() => ContactsAsync(engine.AcceptContactAsync(p.User("username"), cancellationToken), p)),
            "contacts.decline" => Signed(() => ContactsAsync(engine.DeclineContactAsync(p.User("username"), cancellationToken), p)),
            "contacts.block" => Signed(() => ContactsAsync(engine.BlockContactAsync(p.User("username"), cancellationToken), p)),
            "contacts.list" => Signed(() => ContactsAsync(engine.ListContactsAsync(cancellationToken), p)),
            "presence.set" => Signed(async () =>
            {
                Presence status = JsonNames.ParsePresence(p.String("status", 16))
                    ?? throw new JsonRpcException(JsonRpcErrors.InvalidParams, "status is one of online, away, busy, offline");
                p.NoMore();
                await engine.SetPresenceAsync(status, cancellationToken).ConfigureAwait(false);
                return new JsonObject();
            }),
            "send" => Signed(() => SentAsync(p, (to, text, id) => engine.SendAsync(to, text, id, cancellationToken))),
            "private.send" => Signed(() => SentAsync(p, (to, text, id) => engine.SendPrivateAsync(to, text, id, cancellationToken))),
            "messages.list" => Signed(() =>
            {
                string? peer = p.OptionalString("peer", 64);
                bool unseen = p.OptionalBool("unseen") ?? false;
                int limit = p.OptionalInt("limit", 1, 10_000) ?? 100;
                p.NoMore();
                IReadOnlyList<LocalMessage> messages = engine.Profile.Store.Messages(peer, unseen, limit);
                if (unseen)
                {
                    engine.Profile.Store.MarkSeen(messages.Select(m => m.LocalId));
                }
                return Task.FromResult<JsonNode>(new JsonObject { ["messages"] = new JsonArray([.. messages.Select(JsonNames.Message)]) });
            }),
            "sync" => Signed(async () =>
            {
                p.NoMore();
                await engine.SyncAsync(cancellationToken).ConfigureAwait(false);
                return new JsonObject();
            }),
            _ => throw new JsonRpcException(JsonRpcErrors.MethodNotFound, $"no method '{Truncate(method)}'"),
        };
    }

    private async Task<JsonNode> RegisterAsync(Params p, CancellationToken cancellationToken)
    {
        string username = p.User("username");
        string password = p.String("password", 1024);
        p.NoMore();
        await engine.RegisterAsync(username, password, cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["username"] = username };
    }

    private async Task<JsonNode> LoginAsync(Params p, CancellationToken cancellationToken)
    {
        string username = p.User("username");
        string password = p.String("password", 1024);
        p.NoMore();
        if (engine.IsStarted)
        {
            throw new JsonRpcException(JsonRpcErrors.InvalidRequest, $"already signed in as {engine.Username}; logout first");
        }
        LocalSession session = await engine.LoginAsync(username, password, cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["username"] = session.Username, ["expiresAt"] = JsonNames.Time(session.ExpiresAt) };
    }

    private static async Task<JsonNode> ContactsAsync(Task<IReadOnlyList<LocalContact>> request, Params p)
    {
        p.NoMore();
        IReadOnlyList<LocalContact> contacts = await request.ConfigureAwait(false);
        return new JsonObject { ["contacts"] = new JsonArray([.. contacts.Select(JsonNames.Contact)]) };
    }

    private static async Task<JsonNode> SentAsync(Params p, Func<string, string, Guid?, Task<SentMessage>> send)
    {
        string to = p.User("to");
        string text = p.String("text", MaxStringLength);
        Guid? id = p.OptionalGuid("id");
        p.NoMore();
        SentMessage sent = await send(to, text, id).ConfigureAwait(false);
        return new JsonObject { ["id"] = sent.Id.ToString(), ["sequence"] = sent.Sequence };
    }

    private Task<JsonNode> Signed(Func<Task<JsonNode>> call) => engine.IsStarted
        ? call()
        : throw new JsonRpcException(JsonRpcErrors.NotSignedIn, "not signed in: call login first");

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";

    /// <summary>Named parameters, checked one by one; <see cref="NoMore"/> refuses any left unread.</summary>
    private sealed class Params(JsonObject? values)
    {
        private readonly HashSet<string> _read = [];

        public string User(string name) => String(name, 64);

        public string String(string name, int maxLength) =>
            OptionalString(name, maxLength) ?? throw new JsonRpcException(JsonRpcErrors.InvalidParams, $"missing string parameter '{name}'");

        public string? OptionalString(string name, int maxLength)
        {
            JsonNode? value = Read(name);
            if (value is null)
            {
                return null;
            }
            if (value.GetValueKind() != System.Text.Json.JsonValueKind.String || value.GetValue<string>() is not { } text || text.Length > maxLength)
            {
                throw new JsonRpcException(JsonRpcErrors.InvalidParams, $"'{name}' must be a string of at most {maxLength} characters");
            }
            return text;
        }

        public bool? OptionalBool(string name) => Read(name) switch
        {
            null => null,
            JsonNode v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => v.GetValue<bool>(),
            _ => throw new JsonRpcException(JsonRpcErrors.InvalidParams, $"'{name}' must be true or false"),
        };

        public int? OptionalInt(string name, int min, int max) => Read(name) switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out int n) && n >= min && n <= max => n,
            _ => throw new JsonRpcException(JsonRpcErrors.InvalidParams, $"'{name}' must be an integer from {min} to {max}"),
        };

        public Guid? OptionalGuid(string name) => OptionalString(name, 64) switch
        {
            null => null,
            string text when Guid.TryParse(text, out Guid id) => id,
            _ => throw new JsonRpcException(JsonRpcErrors.InvalidParams, $"'{name}' must be a UUID"),
        };

        public void NoMore()
        {
            if (values?.Select(kv => kv.Key).FirstOrDefault(k => !_read.Contains(k)) is { } unknown)
            {
                throw new JsonRpcException(JsonRpcErrors.InvalidParams, $"unknown parameter '{Truncate(unknown)}'");
            }
        }

        private JsonNode? Read(string name)
        {
            _read.Add(name);
            return values?[name];
        }
    }
}
