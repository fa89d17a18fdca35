using System.CommandLine;
using System.Text.Json;
using SecureComms.Interop.Noise;
using SecureComms.Interop.Signal;
using SecureComms.Vectors;
using Spectre.Console;

namespace SecureComms.Cli;

/// <summary>
/// <c>securecomms conformance [--json] [--verbose]</c>: runs every published vector the project knows and
/// every live interop scenario against the pinned peers (<c>interop/signal/</c>, <c>interop/noise/</c>), and reports per source
/// (cases, passed, failed, skipped with reason). Exit code 1 on any failure.
/// </summary>
internal static class ConformanceCommand
{
    internal static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array, one object per source." };
        var verbose = new Option<bool>("--verbose") { Description = "Also list the ids of the skipped cases." };
        var command = new Command("conformance", "Run every published test vector and report per source.");
        command.Options.Add(json);
        command.Options.Add(verbose);
        command.SetAction(parse => Run(parse.GetValue(json), parse.GetValue(verbose)));
        return command;
    }

    private static int Run(bool json, bool verbose)
    {
        var reports = Conformance.Suites.Select(Conformance.Run)
            .Concat(SignalInterop.Peers.Select(SignalInterop.Run))
            .Concat(NoisePeers.All.Select(NoiseInterop.Run))
            .ToList();
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(
                reports.Select(r => new { source = r.Source, cases = r.Cases, passed = r.Passed, failed = r.Failed, skipped = r.Skipped }),
                new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            PrintTable(reports, verbose);
        }
        return reports.Any(r => r.Failed > 0) ? 1 : 0;
    }

    private static void PrintTable(List<SourceReport> reports, bool verbose)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("SecureComms conformance");
        table.AddColumns("source", "cases", "passed", "failed", "skipped");
        foreach (var r in reports)
        {
            table.AddRow(
                Markup.Escape(r.Source),
                Count(r.Cases),
                $"[green]{r.Passed}[/]",
                r.Failed == 0 ? "0" : $"[red bold]{r.Failed}[/]",
                r.Skipped == 0 ? "0" : $"[yellow]{r.Skipped}[/]");
        }
        AnsiConsole.Write(table);
        foreach (var group in reports.SelectMany(r => r.Results)
                     .Where(x => x.Outcome == Outcome.Skipped)
                     .GroupBy(x => (x.Source, x.Detail)))
        {
            AnsiConsole.MarkupLine($"[yellow]skipped[/] {group.Count()} × {Markup.Escape(group.Key.Source)}: {Markup.Escape(group.Key.Detail)}");
            if (verbose)
            {
                AnsiConsole.MarkupLine($"        {Markup.Escape(string.Join(", ", group.Select(x => x.CaseId)))}");
            }
        }
        foreach (var failure in reports.SelectMany(r => r.Results).Where(x => x.Outcome == Outcome.Failed))
        {
            AnsiConsole.MarkupLine($"[red]FAILED[/] {Markup.Escape(failure.ToString())}");
        }
        int failed = reports.Sum(r => r.Failed);
        AnsiConsole.MarkupLine($"{Count(reports.Sum(r => r.Cases))} cases: [green]{reports.Sum(r => r.Passed)} passed[/], "
            + (failed == 0 ? "0 failed" : $"[red bold]{failed} failed[/]") + $", {reports.Sum(r => r.Skipped)} skipped (each with its reason above)");
    }

    private static string Count(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
