using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SecureComms.Cli.Demo;
using Spectre.Console;

namespace SecureComms.Cli;

/// <summary>
/// <c>securecomms demo [--json] [--keep]</c>: a cloud server and two clients (alice, bob) on loopback — real TLS 1.3,
/// a real SQLite file in a temporary folder — playing register, sign in, contact request, presence, cloud messages,
/// an offline recipient's backlog, and a Private Conversation whose stored ciphertext is shown. Exit code 0 only
/// if every check held. See <see cref="DemoScenario"/>.
/// </summary>
internal static class DemoCommand
{
    private const int Failure = 1;

    internal static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the steps and checks as JSON instead of the narrated scenario." };
        var keep = new Option<bool>("--keep") { Description = "Keep the temporary folder (CA, server certificate, server.db) and print its path." };
        var command = new Command("demo", "Start a server and two clients on loopback and play a readable scenario (TLS, SQLite, Signal).");
        command.Options.Add(json);
        command.Options.Add(keep);
        command.SetAction(parse => RunAsync(parse.GetValue(json), parse.GetValue(keep), AnsiConsole.Console, Console.Out));
        return command;
    }

    /// <summary>Runs the demo; narrates on <paramref name="console"/>, or writes JSON to <paramref name="jsonOut"/>.</summary>
    internal static async Task<int> RunAsync(bool json, bool keep, IAnsiConsole console, TextWriter jsonOut)
    {
        string directory = Path.Combine(Path.GetTempPath(), "securecomms-demo-" + Guid.NewGuid().ToString("N"));
        var narrator = new DemoNarrator(json ? null : console);
        var clock = Stopwatch.StartNew();
        string? error = null;
        try
        {
            await DemoScenario.RunAsync(narrator, directory);
        }
        catch (Exception e)
        {
            error = $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            if (!keep)
            {
                SqliteConnection.ClearAllPools();
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Best effort: a temp folder left behind is harmless.
                }
            }
        }
        clock.Stop();
        bool ok = error is null && narrator.AllOk;
        if (json)
        {
            var report = new
            {
                ok,
                elapsedMs = clock.ElapsedMilliseconds,
                error,
                directory = keep ? directory : null,
                steps = narrator.Steps.Select(s => new { title = s.Title, ok = s.Ok, events = s.Events, checks = s.Checks.Select(c => new { what = c.What, ok = c.Ok }) }),
            };
            await jsonOut.WriteLineAsync(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            WriteSummary(console, narrator, error, clock.Elapsed, ok, keep ? directory : null);
        }
        return ok ? 0 : Failure;
    }

    private static void WriteSummary(IAnsiConsole console, DemoNarrator narrator, string? error, TimeSpan elapsed, bool ok, string? keptDirectory)
    {
        console.WriteLine();
        console.Write(new Rule("[bold]Summary[/]").LeftJustified());
        var table = new Table().AddColumn("Step").AddColumn("Checks").AddColumn("Result");
        for (int i = 0; i < narrator.Steps.Count; i++)
        {
            DemoStep step = narrator.Steps[i];
            table.AddRow(
                Markup.Escape($"{i + 1}. {step.Title}"),
                $"{step.Checks.Count(c => c.Ok)}/{step.Checks.Count}",
                step.Ok ? "[green]ok[/]" : "[red]FAILED[/]");
        }
        console.Write(table);
        if (error is not null)
        {
            console.MarkupLine($"[red]The scenario stopped: {Markup.Escape(error)}[/]");
        }
        int checks = narrator.Steps.Sum(s => s.Checks.Count), held = narrator.Steps.Sum(s => s.Checks.Count(c => c.Ok));
        console.MarkupLine(ok
            ? $"[green bold]All {checks} checks held[/] in {elapsed.TotalSeconds:0.0} s."
            : $"[red bold]{held}/{checks} checks held[/] in {elapsed.TotalSeconds:0.0} s.");
        if (keptDirectory is not null)
        {
            console.MarkupLine($"Kept the deployment and server.db in [bold]{Markup.Escape(keptDirectory)}[/]");
        }
    }
}
