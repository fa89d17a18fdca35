using System.CommandLine;
using SecureComms.Client.Engine;
using SecureComms.Client.Local;
using Spectre.Console;

namespace SecureComms.Cli.Client;

/// <summary>
/// <c>securecomms chat USER [--private]</c>: the conversation's last messages, then each line typed is sent and each
/// message from USER is shown as it arrives (presence changes too), until end of input or <c>/quit</c>.
/// </summary>
internal static class ChatCommand
{
    private const int History = 20;

    public static Command Create(ClientContext.Options options)
    {
        var user = new Argument<string>("USER");
        var isPrivate = new Option<bool>("--private") { Description = "Send in a Private Conversation (Signal)." };
        var command = new Command("chat", "Chat with USER interactively: lines typed are sent, messages arriving are shown.");
        command.Arguments.Add(user);
        command.Options.Add(isPrivate);
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                await using ClientContext context = ClientContext.Open(parse, options);
                await context.Engine.StartAsync(cancellationToken: cancellationToken);
                await RunAsync(context, parse.GetValue(user)!.Trim().ToLowerInvariant(), parse.GetValue(isPrivate), cancellationToken);
                return 0;
            }
            catch (Exception e) when (ClientContext.Describe(e) is { } reason)
            {
                Console.Error.WriteLine($"securecomms chat: {reason}");
                return 1;
            }
        });
        return command;
    }

    private static async Task RunAsync(ClientContext context, string peer, bool isPrivate, CancellationToken cancellationToken)
    {
        await context.Engine.SyncAsync(cancellationToken);
        IReadOnlyList<LocalMessage> history = context.Profile.Store.Messages(peer, limit: History);
        foreach (LocalMessage message in history)
        {
            AnsiConsole.MarkupLine(Line(message));
        }
        context.Profile.Store.MarkSeen(history.Select(m => m.LocalId));
        AnsiConsole.MarkupLine($"[grey]chatting with {Markup.Escape(peer)}{(isPrivate ? " (private)" : "")}; /quit or end of input to leave[/]");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task shown = ShowAsync(context, peer, stop.Token);
        while (await Console.In.ReadLineAsync(cancellationToken) is { } line && line.Trim() != "/quit")
        {
            if (line.Length == 0)
            {
                continue;
            }
            try
            {
                SentMessage sent = isPrivate ? await context.Engine.SendPrivateAsync(peer, line, cancellationToken: cancellationToken)
                    : await context.Engine.SendAsync(peer, line, cancellationToken: cancellationToken);
                AnsiConsole.MarkupLine($"[grey]  ✓ sequence {sent.Sequence}[/]");
            }
            catch (Exception e) when (ClientContext.Describe(e) is { } reason)
            {
                AnsiConsole.MarkupLine($"[red]  ✗ {Markup.Escape(reason)}[/]");
            }
        }
        await stop.CancelAsync();
        await shown.ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    private static async Task ShowAsync(ClientContext context, string peer, CancellationToken cancellationToken)
    {
        await foreach (EngineEvent e in context.Engine.Events.ReadAllAsync(cancellationToken))
        {
            switch (e)
            {
                case MessageArrived { Message.Peer: var from } arrived when from == peer:
                    AnsiConsole.MarkupLine(Line(arrived.Message));
                    context.Profile.Store.MarkSeen([arrived.Message.LocalId]);
                    break;
                case ContactPresenceChanged presence when presence.User == peer:
                    AnsiConsole.MarkupLine($"[grey]{Markup.Escape(peer)} is {JsonNames.Of(presence.Status)}[/]");
                    break;
                case ConnectionChanged { Connected: var connected }:
                    AnsiConsole.MarkupLine(connected ? "[grey]connected[/]" : "[yellow]connection lost; reconnecting…[/]");
                    break;
                case SessionEnded ended:
                    AnsiConsole.MarkupLine($"[red]{Markup.Escape(ended.Reason)}[/]");
                    break;
            }
        }
    }

    /// <summary>One message as a coloured line.</summary>
    public static string Line(LocalMessage message)
    {
        string who = message.Outgoing ? $"[blue]me → {Markup.Escape(message.Peer)}[/]" : $"[green]{Markup.Escape(message.Peer)}[/]";
        string lockMark = message.Private ? " 🔒" : "";
        string text = message.State switch
        {
            LocalMessageState.Undecryptable => $"[red](did not decrypt: {Markup.Escape(message.Error ?? "")})[/]",
            LocalMessageState.Failed => $"{Markup.Escape(message.Text ?? "")} [red](refused: {Markup.Escape(message.Error ?? "")})[/]",
            LocalMessageState.Pending => $"{Markup.Escape(message.Text ?? "")} [yellow](waiting to be sent)[/]",
            _ => Markup.Escape(message.Text ?? ""),
        };
        return $"[grey]{message.At.ToLocalTime():HH:mm}[/] {who}{lockMark}: {text}";
    }
}
