using System.CommandLine;
using System.Text.Json.Nodes;
using SecureComms.Client.Engine;
using SecureComms.Client.Local;
using SecureComms.Cloud.Proto;
using Spectre.Console;

namespace SecureComms.Cli.Client;

/// <summary>
/// The client commands: <c>register</c>, <c>login</c>, <c>logout</c>, <c>contacts add|accept|decline|block|list</c>,
/// <c>presence set</c>, <c>send</c>, <c>inbox</c>, <c>chat</c>, and <c>client jsonrpc</c>. Each opens the profile, resumes
/// its session (or signs in), does one thing, and prints it for people (coloured) or, with <c>--json</c>, as one JSON
/// object. Exit code 0 on success, 1 on a refusal or failure (the reason on standard error, or in the JSON).
/// </summary>
/// <remarks>Passwords are read from standard input (<c>--password-stdin</c>, one line) or prompted for without echo;
/// never taken as arguments, which other users can read in the process list.</remarks>
internal static class ClientCommands
{
    private const int Failure = 1;

    public static IEnumerable<Command> Create()
    {
        var options = ClientContext.Options.Create();
        yield return Account("register", "Create an account.", options, async (context, user, password, json) =>
        {
            await context.Engine.RegisterAsync(user, password);
            return Done(json, $"registered [bold]{Markup.Escape(user)}[/]; now `securecomms login {Markup.Escape(user)}`", new JsonObject { ["username"] = user });
        });
        yield return Account("login", "Sign in; the session is kept in the profile for the other commands.", options, async (context, user, password, json) =>
        {
            LocalSession session = await context.Engine.LoginAsync(user, password);
            return Done(json, $"signed in as [bold]{Markup.Escape(session.Username)}[/] until {session.ExpiresAt:u}",
                new JsonObject { ["username"] = session.Username, ["expiresAt"] = JsonNames.Time(session.ExpiresAt) });
        });
        yield return Signed(new Command("logout", "Sign out: the server revokes the session and the profile forgets it."), options, async (context, _, json) =>
        {
            await context.Engine.LogoutAsync();
            return Done(json, "signed out", new JsonObject());
        });
        yield return Contacts(options);
        yield return Presence(options);
        yield return Send(options);
        yield return Inbox(options);
        yield return ChatCommand.Create(options);
        yield return JsonRpc(options);
    }

    private static Command Contacts(ClientContext.Options options)
    {
        var contacts = new Command("contacts", "The contact list: add, accept, decline, block, list.");
        foreach ((string name, string description, Func<ClientEngine, string, Task<IReadOnlyList<LocalContact>>> act) in new (string, string, Func<ClientEngine, string, Task<IReadOnlyList<LocalContact>>>)[]
        {
            ("add", "Ask USER to become a contact.", (e, u) => e.RequestContactAsync(u)),
            ("accept", "Accept USER's request.", (e, u) => e.AcceptContactAsync(u)),
            ("decline", "Decline USER's request.", (e, u) => e.DeclineContactAsync(u)),
            ("block", "Block USER.", (e, u) => e.BlockContactAsync(u)),
        })
        {
            var user = new Argument<string>("USER");
            var command = new Command(name, description);
            command.Arguments.Add(user);
            contacts.Subcommands.Add(Signed(command, options, async (context, parse, json) =>
                ListContacts(json, await act(context.Engine, parse.GetValue(user)!))));
        }
        contacts.Subcommands.Add(Signed(new Command("list", "List contacts with their status and presence."), options, async (context, _, json) =>
            ListContacts(json, await context.Engine.ListContactsAsync())));
        return contacts;
    }

    private static Command Presence(ClientContext.Options options)
    {
        var status = new Argument<string>("STATUS") { Description = "online, away, busy or offline." };
        var set = new Command("set", "Set your presence (shown to accepted contacts).");
        set.Arguments.Add(status);
        var presence = new Command("presence", "Your presence.");
        presence.Subcommands.Add(Signed(set, options, async (context, parse, json) =>
        {
            string text = parse.GetValue(status)!;
            Presence value = JsonNames.ParsePresence(text) ?? throw new ClientUsageException($"'{text}' is not online, away, busy or offline");
            await context.Engine.SetPresenceAsync(value);
            return Done(json, $"presence: [bold]{JsonNames.Of(value)}[/]", new JsonObject { ["status"] = JsonNames.Of(value) });
        }));
        return presence;
    }

    private static Command Send(ClientContext.Options options)
    {
        var user = new Argument<string>("USER");
        var text = new Argument<string>("TEXT");
        var isPrivate = new Option<bool>("--private") { Description = "Send in a Private Conversation (Signal; the server sees only ciphertext)." };
        var command = new Command("send", "Send a message; returns once the server holds it durably.");
        command.Arguments.Add(user);
        command.Arguments.Add(text);
        command.Options.Add(isPrivate);
        return Signed(command, options, async (context, parse, json) =>
        {
            string to = parse.GetValue(user)!;
            string body = parse.GetValue(text)!;
            SentMessage sent = parse.GetValue(isPrivate)
                ? await context.Engine.SendPrivateAsync(to, body)
                : await context.Engine.SendAsync(to, body);
            return Done(json, $"sent to [bold]{Markup.Escape(to)}[/] (sequence {sent.Sequence})",
                new JsonObject { ["id"] = sent.Id.ToString(), ["sequence"] = sent.Sequence });
        });
    }

    private static Command Inbox(ClientContext.Options options)
    {
        var all = new Option<bool>("--all") { Description = "Show every stored message, not only the new ones." };
        var command = new Command("inbox", "Fetch waiting messages and show the new ones.");
        command.Options.Add(all);
        return Signed(command, options, async (context, parse, json) =>
        {
            await context.Engine.SyncAsync();
            bool everything = parse.GetValue(all);
            IReadOnlyList<LocalMessage> messages = context.Profile.Store.Messages(unseenIncomingOnly: !everything);
            context.Profile.Store.MarkSeen(messages.Select(m => m.LocalId));
            if (json)
            {
                return Print(new JsonObject { ["ok"] = true, ["messages"] = new JsonArray([.. messages.Select(JsonNames.Message)]) });
            }
            if (messages.Count == 0)
            {
                AnsiConsole.MarkupLine("[grey]no new messages[/]");
            }
            foreach (LocalMessage message in messages)
            {
                AnsiConsole.MarkupLine(ChatCommand.Line(message));
            }
            return 0;
        });
    }

    private static Command JsonRpc(ClientContext.Options options)
    {
        var rpc = new Command("jsonrpc", "JSON-RPC 2.0 on standard input and output, one object per line (docs/jsonrpc.md).");
        var client = new Command("client", "The client engine for scripts.");
        options.AddTo(client);
        client.Subcommands.Add(rpc);
        rpc.SetAction(async (parse, cancellationToken) => await RunAsync(parse, options, async context =>
        {
            await new JsonRpcSession(context.Engine, Console.OpenStandardInput(), Console.Out, Console.Error).RunAsync(cancellationToken);
            return 0;
        }));
        return client;
    }

    // ---- Plumbing --------------------------------------------------------------------------------------

    private static Command Account(string name, string description, ClientContext.Options options,
        Func<ClientContext, string, string, bool, Task<int>> act)
    {
        var user = new Argument<string>("USER");
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var command = new Command(name, description);
        command.Arguments.Add(user);
        command.Options.Add(passwordStdin);
        options.AddTo(command);
        command.SetAction(async parse => await RunAsync(parse, options, context =>
            act(context, parse.GetValue(user)!, ReadPassword(parse.GetValue(passwordStdin)), parse.GetValue(options.Json))));
        return command;
    }

    private static Command Signed(Command command, ClientContext.Options options, Func<ClientContext, ParseResult, bool, Task<int>> act)
    {
        options.AddTo(command);
        command.SetAction(async parse => await RunAsync(parse, options, async context =>
        {
            await context.Engine.StartAsync();
            return await act(context, parse, parse.GetValue(options.Json));
        }));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ClientContext.Options options, Func<ClientContext, Task<int>> act)
    {
        bool json = parse.GetValue(options.Json);
        try
        {
            await using ClientContext context = ClientContext.Open(parse, options);
            return await act(context);
        }
        catch (Exception e) when (ClientContext.Describe(e) is { } reason)
        {
            if (json)
            {
                Print(new JsonObject { ["ok"] = false, ["error"] = reason });
            }
            else
            {
                Console.Error.WriteLine($"securecomms {parse.CommandResult.Command.Name}: {reason}");
            }
            return Failure;
        }
    }

    private static string ReadPassword(bool fromStdin)
    {
        if (fromStdin || Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? throw new ClientUsageException("no password on standard input");
        }
        return AnsiConsole.Prompt(new TextPrompt<string>("Password:").Secret());
    }

    private static int ListContacts(bool json, IReadOnlyList<LocalContact> contacts)
    {
        if (json)
        {
            return Print(new JsonObject { ["ok"] = true, ["contacts"] = new JsonArray([.. contacts.Select(JsonNames.Contact)]) });
        }
        var table = new Table().AddColumns("contact", "status", "presence");
        foreach (LocalContact contact in contacts)
        {
            string presence = JsonNames.Of(contact.Presence);
            string colour = contact.Presence switch { Cloud.Proto.Presence.Online => "green", Cloud.Proto.Presence.Away => "yellow", Cloud.Proto.Presence.Busy => "red", _ => "grey" };
            table.AddRow(Markup.Escape(contact.Username), JsonNames.Of(contact.Status), $"[{colour}]{presence}[/]");
        }
        AnsiConsole.Write(table);
        return 0;
    }

    private static int Done(bool json, string markup, JsonObject result)
    {
        if (json)
        {
            result["ok"] = true;
            return Print(result);
        }
        AnsiConsole.MarkupLine(markup);
        return 0;
    }

    private static int Print(JsonNode node)
    {
        Console.Out.WriteLine(JsonNames.Serialize(node));
        return 0;
    }
}
